import path from 'node:path';
import type { Clock } from '../../tools/funchost/clock';
import { startLocalHost, type LocalHost } from '../../tools/funchost/host';
import { topology } from '../../src/lib/messaging/topology';
import { startAzuriteBlob, type AzuriteHandle } from '../rig/azurite';
import { rigStandaloneUrl } from '../rig/rig-env';

const root = path.resolve(__dirname, '../..');

export interface AppWithBlob {
  host: LocalHost;
  azurite: AzuriteHandle;
  api(route: string, init?: RequestInit): Promise<Response>;
  postJson(route: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * The real app (src/index.ts) on the local host with the rig's Redis, the Service Bus emulation and
 * an Azurite of its own, for the workflows that keep their data in Blob Storage.
 */
export async function startAppWithBlob(
  taskHubName: string,
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<AppWithBlob> {
  const azurite = await startAzuriteBlob();
  let appModule: typeof import('../../src/lib/app-services') | undefined;
  const host = await startLocalHost({
    load: () =>
      jest.isolateModules(() => {
        require('../../src/index');
        appModule = require('../../src/lib/app-services') as typeof import('../../src/lib/app-services');
      }),
    env: {
      REDIS_URL: rigStandaloneUrl(),
      DURABLE_TASK_HUB_NAME: taskHubName,
      AzureWebJobsStorage: azurite.connectionString,
      ...options.env,
    },
    ...(options.clock ? { clock: options.clock } : {}),
    hostJsonPath: path.join(root, 'host.json'),
    serviceBus: { topology },
    quiet: true,
  });
  const api = (route: string, init?: RequestInit) => fetch(`${host.baseUrl}/api/${route}`, init);
  return {
    host,
    azurite,
    api,
    postJson: (route, body, headers = {}) =>
      api(route, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...headers },
      }),
    async stop() {
      await appModule?.resetAppServices();
      await host.stop();
      await azurite.stop();
    },
  };
}
