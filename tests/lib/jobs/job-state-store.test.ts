import Redis from 'ioredis';
import { TTL_DEFAULT_SECONDS } from '../../../src/lib/config/ttl-defaults';
import {
  InvalidCheckpointError,
  JobAlreadyFinishedError,
  JobNotFoundError,
} from '../../../src/lib/jobs/job-errors';
import { JOB_EVENTS_MAX_LENGTH, JobStateStore } from '../../../src/lib/jobs/job-state-store';
import { masterNodes, type ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { Channels, Keys } from '../../../src/lib/redis/keys';
import { recordChannels } from '../../rig/channel-recorder';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';

describe.each(REDIS_TARGETS)('JobStateStore on $name Redis', (target) => {
  let redis: ManagedRedisClient;
  let subscriber: ManagedRedisClient;
  let store: JobStateStore;

  beforeAll(async () => {
    redis = await target.connect();
    subscriber = await target.connect();
    store = new JobStateStore(redis.client, TTL_DEFAULT_SECONDS);
  });
  afterAll(async () => {
    await Promise.all([redis.close(), subscriber.close()]);
  });

  const channelsOf = (jobId: string) => [
    Channels.jobStatus(jobId),
    Channels.jobProgress(jobId),
    Channels.jobComplete(jobId),
    Channels.jobError(jobId),
  ];

  it('creates the status and progress records with the guide TTLs and one stream entry', async () => {
    const jobId = uniqueId('job');
    const result = await store.checkpoint(jobId, {
      userId: 'user-1',
      jobType: 'trip-generation',
      status: 'queued',
      seq: 0,
    });
    expect(result).toMatchObject({ outcome: 'applied', status: 'queued', progress: 0, seq: 0 });
    const status = await store.getStatus(jobId);
    expect(status).toMatchObject({
      jobId,
      userId: 'user-1',
      jobType: 'trip-generation',
      status: 'queued',
      progress: 0,
    });
    expect(status?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const ttl = await redis.client.ttl(Keys.jobStatus(jobId));
    expect(ttl).toBeGreaterThan(3590);
    expect(ttl).toBeLessThanOrEqual(3600);
    expect(await redis.client.ttl(Keys.jobProgress(jobId))).toBeGreaterThan(3590);
    expect(await redis.client.ttl(Keys.jobEvents(jobId))).toBeGreaterThan(3590);
    const events = await store.readEvents(jobId);
    expect(events).toHaveLength(1);
    expect(events[0]!.message).toMatchObject({
      eventType: 'job_status_update',
      status: 'queued',
      userId: 'user-1',
    });
  });

  it('publishes the guide message format on the status, progress and complete channels', async () => {
    const jobId = uniqueId('job');
    const recorder = await recordChannels(subscriber.client, channelsOf(jobId));
    await store.checkpoint(jobId, { userId: 'u', jobType: 'trip-generation', status: 'queued', seq: 0 });
    await store.checkpoint(jobId, {
      status: 'processing',
      progress: 45,
      step: 'generating_itinerary',
      estimatedTime: 300,
      seq: 1,
    });
    await store.checkpoint(jobId, { status: 'completed', step: 'done', seq: 2, data: { tripId: 't-1' } });
    const received = await recorder.waitFor(6);
    await recorder.stop();
    expect(received.map((r) => [r.channel, r.message.eventType])).toEqual([
      [Channels.jobStatus(jobId), 'job_status_update'],
      [Channels.jobStatus(jobId), 'job_status_update'],
      [Channels.jobProgress(jobId), 'job_progress_update'],
      [Channels.jobStatus(jobId), 'job_status_update'],
      [Channels.jobProgress(jobId), 'job_progress_update'],
      [Channels.jobComplete(jobId), 'job_completed'],
    ]);
    expect(received[2]!.message).toEqual({
      eventType: 'job_progress_update',
      jobId,
      userId: 'u',
      status: 'processing',
      progress: 45,
      timestamp: expect.stringMatching(/Z$/),
      data: { step: 'generating_itinerary', estimatedTime: 300 },
    });
    expect(received[5]!.message).toMatchObject({
      status: 'completed',
      progress: 100,
      data: { step: 'done', tripId: 't-1' },
    });
  });

  it('publishes a failure on the error channel and keeps the error on the record', async () => {
    const jobId = uniqueId('job');
    const recorder = await recordChannels(subscriber.client, [Channels.jobError(jobId)]);
    await store.checkpoint(jobId, {
      userId: 'u',
      jobType: 'trip-generation',
      status: 'processing',
      progress: 10,
    });
    await store.checkpoint(jobId, { status: 'failed', error: 'planner exploded' });
    const [failure] = await recorder.waitFor(1);
    await recorder.stop();
    expect(failure!.message).toMatchObject({
      eventType: 'job_failed',
      status: 'failed',
      progress: 10,
      data: { error: 'planner exploded' },
    });
    expect(await store.getStatus(jobId)).toMatchObject({ status: 'failed', error: 'planner exploded' });
  });

  it('never lowers progress', async () => {
    const jobId = uniqueId('job');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'processing', progress: 60 });
    const lowered = await store.checkpoint(jobId, { progress: 30, step: 'late-report' });
    expect(lowered.progress).toBe(60);
    expect((await store.getStatus(jobId))?.progress).toBe(60);
  });

  it('refuses any checkpoint after a terminal state and publishes nothing', async () => {
    const jobId = uniqueId('job');
    // In a cluster a PUBLISH reaches subscribers on other nodes over the cluster bus, later than
    // the publishing call returns. Markers published from the job's own slot node travel the same
    // link in order, so everything published before a marker has arrived once the marker has.
    const publishMarker = (name: string) =>
      redis.client.eval(
        "return redis.call('PUBLISH', ARGV[1], ARGV[2])",
        1,
        Keys.jobStatus(jobId),
        Channels.jobStatus(jobId),
        JSON.stringify({ marker: name }),
      );
    const recorder = await recordChannels(subscriber.client, channelsOf(jobId));
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'completed' });
    await publishMarker('before');
    const before = await recorder.waitForMatch((m) => m.marker === 'before');
    await expect(store.checkpoint(jobId, { status: 'processing', progress: 50 })).rejects.toThrow(
      JobAlreadyFinishedError,
    );
    await expect(store.checkpoint(jobId, { status: 'failed', error: 'x' })).rejects.toThrow(
      /already completed/,
    );
    await publishMarker('after');
    const after = await recorder.waitForMatch((m) => m.marker === 'after');
    await recorder.stop();
    expect(before).toBeGreaterThan(0);
    expect(after).toBe(before + 1);
    expect(await store.readEvents(jobId)).toHaveLength(1);
  });

  it('treats a replayed sequence number as a no-op', async () => {
    const jobId = uniqueId('job');
    await store.checkpoint(jobId, {
      userId: 'u',
      jobType: 'analysis',
      status: 'processing',
      progress: 20,
      seq: 1,
    });
    await store.checkpoint(jobId, { progress: 40, step: 'b', seq: 2 });
    const replay = await store.checkpoint(jobId, { progress: 40, step: 'b', seq: 2 });
    const older = await store.checkpoint(jobId, { progress: 90, step: 'a', seq: 1 });
    expect(replay.outcome).toBe('replay');
    expect(older.outcome).toBe('replay');
    expect(await store.getStatus(jobId)).toMatchObject({ progress: 40, step: 'b', seq: 2 });
    expect(await store.readEvents(jobId)).toHaveLength(2);
  });

  it('orders sequence numbers as numbers, across a change in their digit count', async () => {
    const jobId = uniqueId('job');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'processing', seq: 9 });
    await expect(store.checkpoint(jobId, { step: 'ten', seq: 10 })).resolves.toMatchObject({
      outcome: 'applied',
    });
    await expect(store.checkpoint(jobId, { step: 'nine', seq: 9 })).resolves.toMatchObject({
      outcome: 'replay',
    });
    await expect(store.checkpoint(jobId, { step: 'hundred', seq: 100 })).resolves.toMatchObject({
      outcome: 'applied',
    });
    await expect(store.checkpoint(jobId, { step: 'late', seq: 99 })).resolves.toMatchObject({
      outcome: 'replay',
    });
    expect(await store.getStatus(jobId)).toMatchObject({ step: 'hundred', seq: 100 });
  });

  it('numbers checkpoints without a sequence number on from the stored one', async () => {
    const jobId = uniqueId('job');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'processing', seq: 8 });
    await expect(store.checkpoint(jobId, { step: 'a' })).resolves.toMatchObject({ seq: 9 });
    await expect(store.checkpoint(jobId, { step: 'b' })).resolves.toMatchObject({ seq: 10 });
    await expect(store.checkpoint(jobId, { step: 'c', seq: 10 })).resolves.toMatchObject({
      outcome: 'replay',
    });
  });

  it('compares fractional progress as numbers', async () => {
    const jobId = uniqueId('job');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'processing', progress: 9.5 });
    await expect(store.checkpoint(jobId, { progress: 10 })).resolves.toMatchObject({ progress: 10 });
    await expect(store.checkpoint(jobId, { progress: 33.3 })).resolves.toMatchObject({ progress: 33.3 });
    await expect(store.checkpoint(jobId, { progress: 33.25 })).resolves.toMatchObject({ progress: 33.3 });
    await expect(store.checkpoint(jobId, { progress: 4 })).resolves.toMatchObject({ progress: 33.3 });
  });

  it('replays a terminal checkpoint by sequence number without an error', async () => {
    const jobId = uniqueId('job');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'completed', seq: 5 });
    await expect(store.checkpoint(jobId, { status: 'completed', seq: 5 })).resolves.toMatchObject({
      outcome: 'replay',
    });
  });

  it('ignores a status that would move backwards', async () => {
    const jobId = uniqueId('job');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'processing', progress: 5 });
    const result = await store.checkpoint(jobId, { status: 'queued' });
    expect(result).toMatchObject({ outcome: 'ignored', status: 'processing' });
  });

  it('needs userId and jobType to create a job', async () => {
    await expect(store.checkpoint(uniqueId('job'), { status: 'processing' })).rejects.toThrow(
      JobNotFoundError,
    );
  });

  it('keeps the progress record and records a named step as an event even when progress stays', async () => {
    const jobId = uniqueId('job');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'processing', progress: 30 });
    await store.checkpoint(jobId, { step: 'still-planning', estimatedTime: 60 });
    await store.checkpoint(jobId, { progress: 30 });
    expect(await redis.client.hgetall(Keys.jobProgress(jobId))).toMatchObject({
      jobId,
      progress: '30',
      step: 'still-planning',
      updatedAt: expect.stringMatching(/Z$/),
    });
    const events = await store.readEvents(jobId);
    // Created, then the named step; the bare repeat of the same progress records nothing.
    expect(events.map((e) => [e.message.eventType, e.message.data.step])).toEqual([
      ['job_status_update', ''],
      ['job_progress_update', 'still-planning'],
    ]);
    expect(await store.getStatus(jobId)).toMatchObject({ step: 'still-planning', seq: 2, estimatedTime: 60 });
  });

  it('keeps an error text intact whatever characters it holds', async () => {
    const jobId = uniqueId('job');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'processing' });
    const error = 'planner said: "no route"\n\tat step \u001f 3 {braces} ü';
    await store.checkpoint(jobId, { status: 'failed', error, data: { reason: 'x' } });
    const record = await store.getStatus(jobId);
    expect(record).toMatchObject({ status: 'failed', userId: 'u', jobType: 'analysis' });
    expect(record?.error).toBe(error.replace('\u001f', ' '));
    const [, failed] = await store.readEvents(jobId);
    expect(failed!.message.data).toEqual({ step: '', error: error.replace('\u001f', ' '), reason: 'x' });
  });

  it('keeps the event stream bounded', async () => {
    const jobId = uniqueId('job');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'processing', seq: 0 });
    const steps = JOB_EVENTS_MAX_LENGTH + 300;
    for (let from = 1; from <= steps; from += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          store.checkpoint(jobId, { step: `s-${from + i}`, seq: from + i }),
        ),
      );
    }
    const length = await redis.client.xlen(Keys.jobEvents(jobId));
    // Trimmed approximately (whole stream nodes) and checked at every seq ending in 00 or 50, never unbounded.
    expect(length).toBeLessThan(JOB_EVENTS_MAX_LENGTH + 200);
    expect(length).toBeGreaterThanOrEqual(JOB_EVENTS_MAX_LENGTH);
    expect(await store.getStatus(jobId)).toMatchObject({ step: `s-${steps}`, seq: steps });
  });

  it('runs again after the server forgot the script (restart, failover, SCRIPT FLUSH)', async () => {
    const jobId = uniqueId('job');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'processing', seq: 0 });
    for (const node of masterNodes(redis.client)) await node.script('FLUSH');
    await expect(
      store.checkpoint(jobId, { progress: 50, step: 'after-flush', seq: 1 }),
    ).resolves.toMatchObject({
      outcome: 'applied',
      progress: 50,
    });
    // EVAL cached it again: the next call goes by its hash.
    await expect(store.checkpoint(jobId, { progress: 60, step: 'cached', seq: 2 })).resolves.toMatchObject({
      outcome: 'applied',
      progress: 60,
    });
  });

  it('returns null for an unknown job', async () => {
    expect(await store.getStatus(uniqueId('missing'))).toBeNull();
  });
});

describe('JobStateStore input validation', () => {
  // A client that cannot send anything: any command would fail with a connection error, so a
  // validation error proves the input was refused before Redis was touched.
  const offline = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false });
  const store = new JobStateStore(offline, TTL_DEFAULT_SECONDS);
  afterAll(() => offline.disconnect());

  it.each([
    ['', { status: 'queued' }, /jobId must not be empty/],
    ['x'.repeat(129), { status: 'queued' }, /jobId must be at most 128 characters/],
    ['job{1}', { status: 'queued' }, /jobId may only contain/],
    ['job 1', { status: 'queued' }, /jobId may only contain/],
    ['job-1', { progress: 101 }, /progress must be between 0 and 100/],
    ['job-1', { progress: -1 }, /progress must be between 0 and 100/],
    ['job-1', { status: 'paused' }, /status must be one of queued, processing, completed, failed, cancelled/],
    ['job-1', { seq: 1.5 }, /seq must be a whole number/],
    ['job-1', { seq: 1e21 }, /seq must be a whole number/],
    ['job-1', { progress: Number.NaN }, /progress must be between 0 and 100/],
    ['job-1', { step: 'two words' }, /step may only contain/],
    ['job-1', { step: '' }, /step must not be empty/],
    ['job-1', { userId: 'u"1' }, /userId may only contain/],
    ['job-1', { jobType: 'Trip' }, /jobType must be lower-case/],
    ['job-1', { estimatedTime: 1.5 }, /estimatedTime must be whole seconds/],
    ['job-1', { error: 'x'.repeat(4001) }, /error must be at most 4000 characters/],
    ['job-1', { data: [1] }, /data must be an object/],
    ['job-1', { progres: 10 }, /progres is not a checkpoint field/],
    ['job-1', null, /update must be an object/],
  ])('refuses jobId %j with %j', async (jobId, update, message) => {
    const attempt = store.checkpoint(jobId, update as never);
    await expect(attempt).rejects.toThrow(InvalidCheckpointError);
    await expect(attempt).rejects.toThrow(message);
  });

  it('lists every problem at once', async () => {
    await expect(store.checkpoint('a b', { progress: 200, status: 'nope' as never })).rejects.toThrow(
      /jobId may only contain.*status must be one of.*progress must be between/s,
    );
  });
});

describe.each(REDIS_TARGETS)('JobStateStore TTL refresh on $name Redis', (target) => {
  let redis: ManagedRedisClient;
  let clock = Date.UTC(2026, 10, 22, 9, 0, 0);
  let store: JobStateStore;

  beforeAll(async () => {
    redis = await target.connect();
    store = new JobStateStore(redis.client, TTL_DEFAULT_SECONDS, () => new Date(clock));
  });
  afterAll(() => redis.close());

  async function ttls(jobId: string) {
    return Promise.all(
      [Keys.jobStatus(jobId), Keys.jobProgress(jobId), Keys.jobEvents(jobId)].map((k) => redis.client.ttl(k)),
    );
  }

  it('refreshes all three TTLs on a status change and at least every 1 % of the TTL', async () => {
    const jobId = uniqueId('ttl');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'processing', progress: 1 });
    // Shorten the TTLs by hand, standing in for time passing.
    for (const key of [Keys.jobStatus(jobId), Keys.jobProgress(jobId), Keys.jobEvents(jobId)]) {
      await redis.client.expire(key, 100);
    }
    clock += 10_000;
    await store.checkpoint(jobId, { progress: 2 });
    expect(await ttls(jobId)).toEqual([100, 100, 100]);
    clock += 30_000; // 40 s since the last refresh: past the 36 s slack of a 1 h TTL
    await store.checkpoint(jobId, { progress: 3 });
    for (const ttl of await ttls(jobId)) expect(ttl).toBeGreaterThan(3590);
    for (const key of [Keys.jobStatus(jobId), Keys.jobProgress(jobId), Keys.jobEvents(jobId)]) {
      await redis.client.expire(key, 100);
    }
    clock += 1_000;
    await store.checkpoint(jobId, { status: 'completed' });
    for (const ttl of await ttls(jobId)) expect(ttl).toBeGreaterThan(3590);
  });

  it('refreshes on the first checkpoint another process makes, and not on a replay', async () => {
    const jobId = uniqueId('ttl');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'processing', seq: 0 });
    const shorten = async () => {
      for (const key of [Keys.jobStatus(jobId), Keys.jobProgress(jobId), Keys.jobEvents(jobId)]) {
        await redis.client.expire(key, 100);
      }
    };
    await shorten();
    // A second store stands in for another worker process: it has never refreshed this job.
    const otherProcess = new JobStateStore(redis.client, TTL_DEFAULT_SECONDS, () => new Date(clock));
    await otherProcess.checkpoint(jobId, { progress: 10, step: 'other-worker', seq: 1 });
    for (const ttl of await ttls(jobId)) expect(ttl).toBeGreaterThan(3590);

    const fresh = uniqueId('ttl');
    await store.checkpoint(fresh, { userId: 'u', jobType: 'analysis', status: 'processing', seq: 3 });
    const third = new JobStateStore(redis.client, TTL_DEFAULT_SECONDS, () => new Date(clock));
    // A replay changes nothing, so it must not count as this process's refresh either.
    await expect(third.checkpoint(fresh, { progress: 5, seq: 3 })).resolves.toMatchObject({
      outcome: 'replay',
    });
    for (const key of [Keys.jobStatus(fresh), Keys.jobProgress(fresh), Keys.jobEvents(fresh)]) {
      await redis.client.expire(key, 100);
    }
    await third.checkpoint(fresh, { progress: 6, step: 'next', seq: 4 });
    for (const ttl of await ttls(fresh)) expect(ttl).toBeGreaterThan(3590);
  });
});

describe.each(REDIS_TARGETS)('JobStateStore batching on $name Redis', (target) => {
  let redis: ManagedRedisClient;
  let store: JobStateStore;
  beforeAll(async () => {
    redis = await target.connect();
    store = new JobStateStore(redis.client, TTL_DEFAULT_SECONDS);
  });
  afterAll(() => redis.close());

  it('keeps each checkpoint of one tick separate: many jobs, many slots, same job in order', async () => {
    const jobIds = Array.from({ length: 120 }, () => uniqueId('batch'));
    const created = await Promise.all(
      jobIds.map((jobId) =>
        store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'processing', seq: 0 }),
      ),
    );
    expect(created.every((r) => r.outcome === 'applied')).toBe(true);
    // Issued in the same tick: three steps of one job, a replay, and a refused one after completion.
    const [a, b, replay, done, refused] = await Promise.allSettled([
      store.checkpoint(jobIds[0]!, { progress: 10, seq: 1 }),
      store.checkpoint(jobIds[0]!, { progress: 20, seq: 2 }),
      store.checkpoint(jobIds[0]!, { progress: 90, seq: 2 }),
      store.checkpoint(jobIds[1]!, { status: 'completed', seq: 1 }),
      store.checkpoint(jobIds[1]!, { progress: 5, seq: 2 }),
    ]);
    expect(a).toMatchObject({ status: 'fulfilled', value: { outcome: 'applied', progress: 10 } });
    expect(b).toMatchObject({ status: 'fulfilled', value: { outcome: 'applied', progress: 20 } });
    expect(replay).toMatchObject({ status: 'fulfilled', value: { outcome: 'replay', progress: 20 } });
    expect(done).toMatchObject({ status: 'fulfilled', value: { outcome: 'applied', status: 'completed' } });
    expect(refused).toMatchObject({ status: 'rejected', reason: expect.any(JobAlreadyFinishedError) });
    const statuses = await Promise.all(jobIds.map((jobId) => store.getStatus(jobId)));
    expect(statuses.filter((s) => s?.status === 'processing')).toHaveLength(119);
  });
});
