import path from 'node:path';
import { topology } from '../../src/lib/messaging/topology';
import { devStorage, type DevStorage } from '../../tools/funchost/dev-storage';
import { startLocalHost, type LocalHost } from '../../tools/funchost/host';
import { loadEntry } from '../../tools/funchost/loader';
import { startRedisServer, type RedisProcessHandle } from '../../tools/redis/redis-process';

const root = path.resolve(__dirname, '../..');

/** The API the demos talk to: FUNCHOST_URL (default the `npm run dev` address). */
export const baseUrl = process.env.FUNCHOST_URL ?? 'http://127.0.0.1:7071';

async function hostIsUp(): Promise<boolean> {
  try {
    await fetch(`${baseUrl}/api/jobs/probe`);
    return true;
  } catch {
    return false;
  }
}

interface StartedHere {
  host: LocalHost;
  redis?: RedisProcessHandle;
  storage: DevStorage;
}

async function startHostHere(): Promise<StartedHere> {
  const redis = process.env.REDIS_URL ? undefined : await startRedisServer();
  process.env.REDIS_URL ??= redis!.url;
  process.env.DURABLE_TASK_HUB_NAME ??= 'TripGenAIDemo';
  const storage = await devStorage(root, 'demo');
  process.env.AzureWebJobsStorage = storage.connectionString;
  console.log(
    `Starting the local host on ${baseUrl} (Redis: ${process.env.REDIS_URL}${redis ? ', private' : ''}; Blob: ${storage.description})`,
  );
  const host = await startLocalHost({
    load: () => loadEntry(path.join(root, 'src/index.ts')),
    port: Number(new URL(baseUrl).port),
    hostJsonPath: path.join(root, 'host.json'),
    serviceBus: { topology },
    quiet: true,
  });
  return { host, redis, storage };
}

/**
 * Runs a demo against the host already listening on FUNCHOST_URL (`npm run dev`), or against one
 * started in this process (the app from src/, the Service Bus emulation, Redis from REDIS_URL or a
 * private redis-server, Azurite from AzureWebJobsStorage or a private one), stopped in order
 * afterwards: the app's connections first, then the host, then Redis and Azurite, so nothing is
 * left polling a server that is gone.
 */
export async function withDemoHost(demo: () => Promise<void>): Promise<void> {
  const started = (await hostIsUp()) ? undefined : await startHostHere();
  try {
    await demo();
  } finally {
    if (started) {
      await started.host.stop();
      await started.redis?.stop();
      await started.storage.azurite?.stop();
    }
  }
}

/** POST JSON to the API; the parsed answer, or an error naming the status and the body. */
export async function postJson<T>(route: string, body: unknown, expected = [200, 202]): Promise<T> {
  const response = await fetch(`${baseUrl}/api/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as T;
  if (!expected.includes(response.status))
    throw new Error(`POST /api/${route} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

export async function getJson<T>(route: string): Promise<T> {
  const response = await fetch(`${baseUrl}${route.startsWith('/') ? route : `/api/${route}`}`);
  const answer = (await response.json()) as T;
  if (response.status !== 200)
    throw new Error(`GET ${route} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}
