/**
 * The real app (src/index.ts) on the local host, in a process of its own, so a test can kill it
 * (SIGKILL) or stop it (SIGTERM) and start another on the same persisted state. Run with
 * `node --require tsx/cjs host-process.ts '<json options>'`; prints one JSON line when it serves.
 */
import path from 'node:path';
import { topology } from '../../../src/lib/messaging/topology';
import { startLocalHost } from '../../../tools/funchost/host';
import { loadEntry } from '../../../tools/funchost/loader';

export interface HostProcessOptions {
  redisUrl: string;
  /** Key prefix of the host's persisted state (Durable and Service Bus). */
  keyPrefix: string;
  taskHubName: string;
  /** More app settings (e.g. AzureWebJobsStorage of a test's own Azurite). */
  env?: Record<string, string>;
}

export interface HostProcessReady {
  baseUrl: string;
  resumedInstances: number;
  pid: number;
}

const root = path.resolve(__dirname, '../../..');

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as HostProcessOptions;
  const host = await startLocalHost({
    load: () => loadEntry(path.join(root, 'src/index.ts')),
    hostJsonPath: path.join(root, 'host.json'),
    env: {
      REDIS_URL: options.redisUrl,
      DURABLE_TASK_HUB_NAME: options.taskHubName,
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      ...options.env,
    },
    serviceBus: { topology },
    persistence: { redisUrl: options.redisUrl, keyPrefix: options.keyPrefix },
    quiet: true,
  });
  const ready: HostProcessReady = {
    baseUrl: host.baseUrl,
    resumedInstances: host.resumedInstances,
    pid: process.pid,
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  // As `npm run dev` does on Ctrl-C or a service stop: finish writing, close, exit.
  process.once('SIGTERM', () => {
    void host.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
