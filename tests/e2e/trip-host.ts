/**
 * The real app (src/index.ts) on the local host with its own Redis, for the telemetry and dashboard
 * suites: HTTP on a real port, the app's @azure/service-bus client over AMQP into the Service Bus
 * emulation, orchestrations replayed by durable-functions. Returns the app's module instances, so a
 * test can reach the process-wide hooks the app itself uses (jest.isolateModules gives it its own).
 */
import fs from 'node:fs';
import path from 'node:path';
import { VirtualClock } from '../../tools/funchost/clock';
import { startLocalHost, type LocalHost } from '../../tools/funchost/host';
import { topology } from '../../src/lib/messaging/topology';
import { tripInstanceId } from '../../src/orchestrations/trip-generation/names';
import { startRedisServer, type RedisProcessHandle } from '../../tools/redis/redis-process';
import { uniqueId } from '../rig/redis-targets';

const root = path.resolve(__dirname, '../..');
export const sampleTrip = JSON.parse(
  fs.readFileSync(path.join(root, 'samples/trip-request.json'), 'utf8'),
) as {
  places: Array<Record<string, unknown>>;
  [field: string]: unknown;
};

export interface TripHost {
  host: LocalHost;
  clock: VirtualClock;
  app: {
    serving: typeof import('../../src/lib/ops/serving-series');
    services: typeof import('../../src/lib/app-services');
    metrics: typeof import('../../src/lib/telemetry/metrics');
    models: typeof import('../../src/lib/ops/model-panels');
  };
  post(body: unknown): Promise<Response>;
  trip(
    overrides?: Record<string, unknown>,
  ): Record<string, unknown> & { jobId: string; tripId: string; userId: string };
  /** A trip no plan can satisfy: the job fails with NoFeasiblePlan. */
  infeasibleTrip(): Record<string, unknown> & { jobId: string; tripId: string; userId: string };
  finished(jobId: string): ReturnType<LocalHost['durable']['waitFor']>;
  stop(): Promise<void>;
}

export async function startTripHost(
  options: { clock?: VirtualClock; port?: number } = {},
): Promise<TripHost> {
  const redisServer: RedisProcessHandle = await startRedisServer();
  Object.assign(process.env, {
    REDIS_URL: redisServer.url,
    DURABLE_TASK_HUB_NAME: 'TripGenAITest',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  });
  const clock = options.clock ?? new VirtualClock(new Date());
  let app: TripHost['app'] | undefined;
  const host = await startLocalHost({
    load: () =>
      jest.isolateModules(() => {
        require('../../src/index');
        app = {
          serving: require('../../src/lib/ops/serving-series'),
          services: require('../../src/lib/app-services'),
          metrics: require('../../src/lib/telemetry/metrics'),
          models: require('../../src/lib/ops/model-panels'),
        };
      }),
    clock,
    ...(options.port !== undefined ? { port: options.port } : {}),
    hostJsonPath: path.join(root, 'host.json'),
    serviceBus: { topology },
    quiet: true,
  });
  const trip = (overrides: Record<string, unknown> = {}) => {
    const jobId = uniqueId('trip-job');
    return {
      ...sampleTrip,
      jobId,
      tripId: `trip-of-${jobId}`,
      sessionId: `session-${jobId}`,
      ...overrides,
    } as unknown as Record<string, unknown> & { jobId: string; tripId: string; userId: string };
  };
  return {
    host,
    clock,
    app: app!,
    post: (body) =>
      fetch(`${host.baseUrl}/api/jobs/trip-generation`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      }),
    trip,
    infeasibleTrip: () =>
      trip({
        budgetPerDay: 5_000,
        mustVisit: [],
        places: sampleTrip.places.map((p) => ({ ...p, priceLevel: 4 })),
      }),
    finished: (jobId) =>
      host.durable.waitFor(
        tripInstanceId(jobId),
        (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus),
        60_000,
      ),
    async stop() {
      await app?.services.resetAppServices();
      await host.stop();
      await redisServer.stop();
    },
  };
}
