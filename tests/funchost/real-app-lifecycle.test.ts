import path from 'node:path';
import Redis from 'ioredis';
import { topology } from '../../src/lib/messaging/topology';
import { startLocalHost } from '../../tools/funchost/host';
import { startRedisServer, type RedisProcessHandle } from '../../tools/redis/redis-process';

/**
 * The real app closes its connections when the host stops (app.hook.appTerminate), so stopping Redis
 * afterwards (the demos, `npm run dev` on Ctrl-C, a scale-in in Azure) leaves nothing reconnecting.
 * A Redis of its own, so CLIENT LIST shows only this app's connections.
 */
describe('the real app on host stop', () => {
  let redis: RedisProcessHandle;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis.stop());

  const appClients = async () => {
    const admin = new Redis(redis.url);
    try {
      const list = (await admin.client('LIST')) as string;
      return list
        .split('\n')
        .filter((line) => /name=tripgen-ai/.test(line))
        .map((line) => /name=(\S*)/.exec(line)?.[1]);
    } finally {
      admin.disconnect();
    }
  };

  it('closes its Redis connections and ends its event streams in appTerminate', async () => {
    let streams: typeof import('../../src/lib/api/event-stream') | undefined;
    const host = await startLocalHost({
      load: () =>
        jest.isolateModules(() => {
          require('../../src/index');
          // The app's own instance of the module (isolateModules gives the app a registry of its own).
          streams =
            require('../../src/lib/api/event-stream') as typeof import('../../src/lib/api/event-stream');
        }),
      env: {
        REDIS_URL: redis.url,
        DURABLE_TASK_HUB_NAME: 'TripGenAILifecycleTest',
        AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      },
      hostJsonPath: path.resolve(__dirname, '../../host.json'),
      serviceBus: { topology },
      quiet: true,
    });
    let stopped = false;
    try {
      // A job read opens the app's Redis connection; its events stream opens the subscriber.
      expect((await fetch(`${host.baseUrl}/api/jobs/job-lifecycle-probe`)).status).toBe(404);
      const events = await fetch(`${host.baseUrl}/api/jobs/job-lifecycle-probe/events`);
      await events.body?.cancel();
      // The dashboard's stream has no end of its own, and the Functions library never tells the app
      // that its client left: the app ends it at shutdown, or its timers would keep the process alive.
      const dashboard = await fetch(`${host.baseUrl}/api/ops/events`);
      expect(dashboard.status).toBe(200);
      const reader = dashboard.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/^retry: 1000\n\n/);
      void reader.closed.catch(() => {}); // the host's server cuts the connection at stop
      expect(streams!.openEventStreamCount()).toBe(1);
      expect((await appClients()).length).toBeGreaterThan(0);
      await host.stop();
      stopped = true;
      expect(await appClients()).toEqual([]);
      expect(streams!.openEventStreamCount()).toBe(0);
    } finally {
      if (!stopped) await host.stop();
    }
  });
});
