/**
 * The reconciler's sweep (issue 12) on the real app: the `reconcileJobs` timer marks failed, with the
 * reason, and announces on ai:job:error, jobs nobody reads whose orchestration died outside its own
 * error handling — terminated from elsewhere, or lost (processing, silent, no orchestration).
 * Interleavings are forced, not hoped for: the terminated job is held in its ordering line behind a
 * predecessor that never finishes, so it is certainly not finished when it is terminated.
 */
import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { topology } from '../../src/lib/messaging/topology';
import { JobStateStore } from '../../src/lib/jobs/job-state-store';
import { OrderingLine } from '../../src/lib/jobs/ordering-line';
import { Channels, Keys } from '../../src/lib/redis/keys';
import { tripInstanceId } from '../../src/orchestrations/trip-generation/names';
import { startLocalHost, type LocalHost } from '../../tools/funchost/host';
import { recordChannels } from '../rig/channel-recorder';
import { uniqueId } from '../rig/redis-targets';
import { rigStandaloneUrl } from '../rig/rig-env';

const root = path.resolve(__dirname, '../..');
const sample = JSON.parse(fs.readFileSync(path.join(root, 'samples/trip-request.json'), 'utf8')) as Record<
  string,
  unknown
>;

describe('reconciler sweep (reconcileJobs timer)', () => {
  let host: LocalHost;
  let appModule: typeof import('../../src/lib/app-services') | undefined;
  let redis: Redis;
  let subscriber: Redis;
  let store: JobStateStore;

  beforeAll(async () => {
    host = await startLocalHost({
      load: () =>
        jest.isolateModules(() => {
          require('../../src/index');
          appModule = require('../../src/lib/app-services') as typeof import('../../src/lib/app-services');
        }),
      env: {
        REDIS_URL: rigStandaloneUrl(),
        AzureWebJobsStorage: 'UseDevelopmentStorage=true',
        DURABLE_TASK_HUB_NAME: 'SweepTest',
        AUTH_ENABLED: 'false',
      },
      hostJsonPath: path.join(root, 'host.json'),
      serviceBus: { topology },
      quiet: true,
    });
    redis = new Redis(rigStandaloneUrl());
    subscriber = new Redis(rigStandaloneUrl());
    store = new JobStateStore(redis, { jobStatus: 3600, jobProgress: 3600 });
  });
  afterAll(async () => {
    await appModule?.resetAppServices();
    await host.stop();
    redis.disconnect();
    subscriber.disconnect();
  });

  const sweep = async () => {
    const outcome = await host.fireTimer('reconcileJobs');
    expect(outcome.error).toBeUndefined();
  };

  it('marks a job whose orchestration was terminated from elsewhere failed, on ai:job:error, and stops watching it', async () => {
    const session = uniqueId('sweep-session');
    // A predecessor that never finishes: the job below waits for its turn, certainly unfinished.
    const blocker = uniqueId('sweep-blocker');
    await store.checkpoint(blocker, { userId: 'u', jobType: 'trip-generation', status: 'processing' });
    await new OrderingLine(redis).enter('trip-generation', session, blocker);
    const jobId = uniqueId('sweep-terminated');
    const errors = await recordChannels(subscriber, [Channels.jobError(jobId)]);
    const response = await fetch(`${host.baseUrl}/api/jobs/trip-generation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...sample, jobId, tripId: `trip-${jobId}`, sessionId: session }),
    });
    expect(response.status).toBe(202);
    await host.durable.waitFor(tripInstanceId(jobId), (i) => i.history.length > 3, 30_000);
    expect(await redis.zscore(Keys.inflightJobs, jobId)).not.toBeNull();
    host.durable.terminate(tripInstanceId(jobId), 'terminated by an operator');
    await host.durable.waitFor(tripInstanceId(jobId), (i) => i.runtimeStatus === 'Terminated', 30_000);
    expect((await store.getStatus(jobId))?.status).toBe('queued'); // nobody has told the record

    await sweep();

    const record = await store.getStatus(jobId);
    expect(record?.status).toBe('failed');
    expect(record?.error).toMatch(/^OrchestrationTerminated: /);
    await errors.waitFor(1, 5000);
    expect(errors.received[0]!.message).toMatchObject({ jobId, status: 'failed' });
    expect(await redis.zscore(Keys.inflightJobs, jobId)).toBeNull();
    await errors.stop();
  });

  it('marks a processing job without an orchestration, silent for over 5 minutes, failed as lost', async () => {
    const jobId = uniqueId('sweep-lost');
    const errors = await recordChannels(subscriber, [Channels.jobError(jobId)]);
    await store.checkpoint(jobId, { userId: 'u', jobType: 'trip-generation', status: 'processing' });
    await store.inflight.add(jobId);
    // Its last step was ten minutes ago (its host lost the orchestration in a restart).
    await redis.hset(Keys.jobStatus(jobId), 'updatedAt', new Date(Date.now() - 10 * 60_000).toISOString());
    const fresh = uniqueId('sweep-fresh');
    await store.checkpoint(fresh, { userId: 'u', jobType: 'trip-generation', status: 'processing' });
    await store.inflight.add(fresh);

    await sweep();

    expect(await store.getStatus(jobId)).toMatchObject({ status: 'failed' });
    expect((await store.getStatus(jobId))?.error).toMatch(/^OrchestrationLost: /);
    await errors.waitFor(1, 5000);
    // A job silent for less than that may still be starting: left alone, still watched.
    expect((await store.getStatus(fresh))?.status).toBe('processing');
    expect(await redis.zscore(Keys.inflightJobs, fresh)).not.toBeNull();
    await errors.stop();
  });

  it('forgets jobs that finished normally without touching them', async () => {
    const jobId = uniqueId('sweep-done');
    const response = await fetch(`${host.baseUrl}/api/jobs/trip-generation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...sample, jobId, tripId: `trip-${jobId}`, sessionId: uniqueId('s') }),
    });
    expect(response.status).toBe(202);
    await host.durable.waitFor(tripInstanceId(jobId), (i) => i.runtimeStatus === 'Completed', 60_000);
    const before = await store.getStatus(jobId);
    await sweep();
    expect(await store.getStatus(jobId)).toEqual(before);
    expect(await redis.zscore(Keys.inflightJobs, jobId)).toBeNull();
  });
});
