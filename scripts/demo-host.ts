import path from 'node:path';
import { topology } from '../src/lib/messaging/topology';
import { startAzuriteBlob, type AzuriteHandle } from '../tools/azurite/azurite-process';
import { startLocalHost, type LocalHost } from '../tools/funchost/host';
import { loadEntry } from '../tools/funchost/loader';
import { startRedisServer, type RedisProcessHandle } from '../tools/redis/redis-process';

const root = path.resolve(__dirname, '..');

/** The host the demos talk to: FUNCHOST_URL (default http://127.0.0.1:7071, e.g. `npm run dev`). */
export const demoBaseUrl = process.env.FUNCHOST_URL ?? 'http://127.0.0.1:7071';

export async function hostIsUp(baseUrl = demoBaseUrl): Promise<boolean> {
  try {
    await fetch(`${baseUrl}/api/jobs/probe`);
    return true;
  } catch {
    return false;
  }
}

export interface DemoHost {
  stop(): Promise<void>;
}

/**
 * Starts the app on the local host in this process, as `npm run dev` would: Redis from REDIS_URL or
 * a private redis-server, Blob from AzureWebJobsStorage or a private in-memory Azurite, the Service
 * Bus emulation. Returns undefined when a host already answers on FUNCHOST_URL (the demo uses it).
 */
export async function startDemoHostUnlessUp(taskHubName: string): Promise<DemoHost | undefined> {
  if (await hostIsUp()) return undefined;
  const redis: RedisProcessHandle | undefined = process.env.REDIS_URL ? undefined : await startRedisServer();
  process.env.REDIS_URL ??= redis!.url;
  const azurite: AzuriteHandle | undefined = process.env.AzureWebJobsStorage
    ? undefined
    : await startAzuriteBlob();
  process.env.AzureWebJobsStorage ??= azurite!.connectionString;
  process.env.DURABLE_TASK_HUB_NAME ??= taskHubName;
  console.log(
    `Starting the local host on ${demoBaseUrl} (Redis: ${process.env.REDIS_URL}${redis ? ', private' : ''}; ` +
      `Blob: ${azurite ? `private Azurite on ${azurite.blobEndpoint}` : 'AzureWebJobsStorage'})`,
  );
  const host: LocalHost = await startLocalHost({
    load: () => loadEntry(path.join(root, 'src/index.ts')),
    port: Number(new URL(demoBaseUrl).port),
    hostJsonPath: path.join(root, 'host.json'),
    serviceBus: { topology },
    quiet: true,
  });
  return {
    async stop() {
      await host.stop();
      await azurite?.stop();
      await redis?.stop();
    },
  };
}
