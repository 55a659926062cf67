import { TTL_DEFAULT_SECONDS } from '../../../src/lib/config/ttl-defaults';
import { JobStateStore } from '../../../src/lib/jobs/job-state-store';
import { OrderingLine } from '../../../src/lib/jobs/ordering-line';
import type { ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { createKitActivities } from '../../../src/orchestrations/kit/kit-activities';
import { KitNames } from '../../../src/orchestrations/kit/kit-names';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';

describe.each(REDIS_TARGETS)('kit activities on $name Redis', (target) => {
  let redis: ManagedRedisClient;
  let store: JobStateStore;

  beforeAll(async () => {
    redis = await target.connect();
    store = new JobStateStore(redis.client, TTL_DEFAULT_SECONDS);
  });
  afterAll(() => redis.close());

  const activities = () =>
    createKitActivities(() => ({
      jobStore: async () => store,
      orderingLine: async () => new OrderingLine(redis.client),
    }));
  const run = (name: string, input: unknown) => activities()[name]!(input as never, {});

  it('checkpoints, and a retried checkpoint with the same seq is a no-op', async () => {
    const jobId = uniqueId('kit');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'queued', seq: 0 });
    const update = { status: 'processing', progress: 5, step: 'reading', seq: 1 };
    expect(await run(KitNames.activities.checkpoint, { jobId, update })).toMatchObject({
      ok: true,
      value: { outcome: 'applied', status: 'processing' },
    });
    expect(await run(KitNames.activities.checkpoint, { jobId, update })).toMatchObject({
      ok: true,
      value: { outcome: 'replay' },
    });
  });

  it('answers a checkpoint on a cancelled job with the status, so the orchestration stops', async () => {
    const jobId = uniqueId('kit');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'cancelled' });
    expect(
      await run(KitNames.activities.checkpoint, { jobId, update: { progress: 50, seq: 3 } }),
    ).toMatchObject({
      ok: true,
      value: { status: 'cancelled' },
    });
  });

  it('reports a vanished record as a permanent JobStateLost', async () => {
    const jobId = uniqueId('kit');
    expect(await run(KitNames.activities.checkpoint, { jobId, update: { progress: 50, seq: 3 } })).toEqual({
      ok: false,
      permanent: true,
      code: 'JobStateLost',
      reason: expect.stringContaining('vanished'),
    });
  });

  it('commits a running job (a later cancel is refused) and reports a cancelled one as it is', async () => {
    const running = uniqueId('kit');
    await store.checkpoint(running, { userId: 'u', jobType: 'analysis', status: 'processing' });
    expect(await run(KitNames.activities.commit, { jobId: running })).toEqual({
      ok: true,
      value: 'processing',
    });
    await expect(store.checkpoint(running, { status: 'cancelled' })).rejects.toThrow(
      /can no longer be cancelled/,
    );
    expect((await store.getStatus(running))?.status).toBe('processing');

    const cancelled = uniqueId('kit');
    await store.checkpoint(cancelled, { userId: 'u', jobType: 'analysis', status: 'cancelled' });
    expect(await run(KitNames.activities.commit, { jobId: cancelled })).toEqual({
      ok: true,
      value: 'cancelled',
    });
    expect(await run(KitNames.activities.commit, { jobId: uniqueId('kit') })).toEqual({
      ok: true,
      value: null,
    });
  });

  it('tells a waiting job to go only once the job before it has ended, and to stop when it was cancelled', async () => {
    const before = uniqueId('kit');
    const after = uniqueId('kit');
    await store.checkpoint(before, { userId: 'u', jobType: 'analysis', status: 'processing' });
    await store.checkpoint(after, { userId: 'u', jobType: 'analysis', status: 'queued' });
    const turn = () => run(KitNames.activities.turn, { workflow: 'analysis', jobId: after, after: before });
    expect(await turn()).toEqual({ ok: true, value: 'wait' });
    await store.checkpoint(before, { status: 'completed' });
    expect(await turn()).toEqual({ ok: true, value: 'go' });
    await store.checkpoint(after, { status: 'cancelled' });
    expect(await turn()).toEqual({ ok: true, value: 'stopped' });
  });
});
