import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort, waitForPort } from '../redis/free-port';
import { startOnFreePort } from '../redis/start-on-free-port';

/** Azurite's well-known development account (public, documented by Microsoft for the emulator). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteHandle {
  blobEndpoint: string;
  connectionString: string;
  pid: number;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /**
   * A folder for Azurite's data, so a restarted process finds its blobs again (npm run dev, the
   * demos). Absent: in memory, gone when Azurite stops (tests).
   */
  location?: string;
}

/**
 * A real Azurite Blob service (npm `azurite`) on a free loopback port. Tests start it in the file that
 * needs it and stop it in afterAll (the global teardown fails the run if an Azurite is still running);
 * the dev host and the demos start one with a data folder.
 */
export async function startAzuriteBlob(options: AzuriteOptions = {}): Promise<AzuriteHandle> {
  const bin = path.resolve(__dirname, '../../node_modules/.bin/azurite-blob');
  const server = await startOnFreePort({
    label: 'azurite-blob',
    pickPort: freePort,
    spawnOn: (port) =>
      spawn(
        bin,
        [
          '--blobHost',
          '127.0.0.1',
          '--blobPort',
          String(port),
          ...(options.location ? ['--location', options.location] : ['--inMemoryPersistence']),
          '--silent',
          '--skipApiVersionCheck',
          '--disableTelemetry',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      ),
    ready: async (port, child) => {
      await waitForPort(port, 15_000, undefined, () => child.exitCode !== null || child.signalCode !== null);
      // Something accepting connections may be another process that took the port first.
      const response = await fetch(`http://127.0.0.1:${port}/${DEV_ACCOUNT}?comp=list`);
      if (!response.headers.get('server')?.includes('Azurite'))
        throw new Error(`port ${port} is served by something other than Azurite`);
    },
  });
  const blobEndpoint = `http://127.0.0.1:${server.port}/${DEV_ACCOUNT}`;
  return {
    blobEndpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${blobEndpoint};`,
    pid: server.child.pid!,
    stop: server.stop,
  };
}
