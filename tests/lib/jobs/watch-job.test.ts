import { getEventListeners } from 'node:events';
import { TTL_DEFAULT_SECONDS } from '../../../src/lib/config/ttl-defaults';
import { JobNotFoundError } from '../../../src/lib/jobs/job-errors';
import { JobStateStore, type JobEvent } from '../../../src/lib/jobs/job-state-store';
import { watchJob } from '../../../src/lib/jobs/watch-job';
import { ChannelHub } from '../../../src/lib/redis/channel-hub';
import type { ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { killPubSubConnections } from '../../rig/kill-connections';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';

const SUBSCRIBER_NAME = uniqueId('watch-subscriber');

describe.each(REDIS_TARGETS)('watchJob on $name Redis', (target) => {
  let redis: ManagedRedisClient;
  let subscriber: ManagedRedisClient;
  let store: JobStateStore;
  let hub: ChannelHub;

  beforeAll(async () => {
    redis = await target.connect();
    // A short reconnect interval so the dropped-connection test does not wait the production 5 s.
    subscriber = await target.connect({ reconnectMaxDelayMs: 50 }, SUBSCRIBER_NAME);
    store = new JobStateStore(redis.client, TTL_DEFAULT_SECONDS);
    hub = new ChannelHub(subscriber.client);
  });
  afterAll(async () => {
    hub.detach();
    await Promise.all([redis.close(), subscriber.close()]);
  });

  async function collect(
    iterator: AsyncGenerator<JobEvent>,
    onEach?: (e: JobEvent, i: number) => Promise<void>,
  ) {
    const seen: JobEvent[] = [];
    for await (const event of iterator) {
      seen.push(event);
      await onEach?.(event, seen.length - 1);
    }
    return seen;
  }

  it('replays the history, then follows live events, ending at the terminal one', async () => {
    const jobId = uniqueId('watch');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'queued', seq: 0 });
    await store.checkpoint(jobId, { status: 'processing', progress: 10, step: 'a', seq: 1 });
    const seen = await collect(watchJob(store, hub, jobId, { pollIntervalMs: 60_000 }), async (_e, i) => {
      // Each live checkpoint is written only after the previous event was seen: the watcher must be
      // woken by Pub/Sub (the poll interval is far longer than the test).
      if (i === 1) await store.checkpoint(jobId, { progress: 50, step: 'b', seq: 2 });
      if (i === 2) await store.checkpoint(jobId, { status: 'completed', step: 'c', seq: 3 });
    });
    expect(seen.map((e) => [e.message.status, e.message.progress, e.message.data.step])).toEqual([
      ['queued', 0, ''],
      ['processing', 10, 'a'],
      ['processing', 50, 'b'],
      ['completed', 100, 'c'],
    ]);
  });

  it('resumes after a given event id with no duplicate', async () => {
    const jobId = uniqueId('watch');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'queued' });
    await store.checkpoint(jobId, { status: 'processing', progress: 30 });
    await store.checkpoint(jobId, { status: 'failed', error: 'boom' });
    const all = await collect(watchJob(store, hub, jobId));
    const rest = await collect(watchJob(store, hub, jobId, { afterId: all[0]!.id }));
    expect(rest.map((e) => e.id)).toEqual(all.slice(1).map((e) => e.id));
  });

  it('loses nothing and repeats nothing when the subscriber connection drops', async () => {
    const jobId = uniqueId('watch');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'processing', progress: 1 });
    const seen = await collect(watchJob(store, hub, jobId, { pollIntervalMs: 500 }), async (_e, i) => {
      if (i !== 0) return;
      // Kill the subscriber's connection(s), then write while it is down: those messages are never
      // delivered by Pub/Sub; the watcher must catch up from the stream (on the reconnect nudge, or,
      // where the client gives no reconnect event — a cluster's subscriber — on the poll interval).
      expect(await killPubSubConnections(redis, SUBSCRIBER_NAME)).toBeGreaterThan(0);
      await store.checkpoint(jobId, { progress: 20 });
      await store.checkpoint(jobId, { progress: 40 });
      await store.checkpoint(jobId, { status: 'completed' });
    });
    expect(seen.map((e) => e.message.progress)).toEqual([1, 20, 40, 100]);
    expect(new Set(seen.map((e) => e.id)).size).toBe(4);
  });

  it('fails for a job that does not exist', async () => {
    await expect(collect(watchJob(store, hub, uniqueId('missing')))).rejects.toThrow(JobNotFoundError);
  });

  it('stops when its signal aborts', async () => {
    const jobId = uniqueId('watch');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'processing' });
    const controller = new AbortController();
    const seen = await collect(
      watchJob(store, hub, jobId, { signal: controller.signal, pollIntervalMs: 60_000 }),
      async () => {
        controller.abort();
      },
    );
    expect(seen).toHaveLength(1);
  });

  it('waits for a nudge or the poll interval between reads, and leaves no abort listener behind', async () => {
    const jobId = uniqueId('watch');
    await store.checkpoint(jobId, { userId: 'u', jobType: 'analysis', status: 'processing' });
    const reads = jest.spyOn(store, 'readEvents');
    const statusReads = jest.spyOn(store, 'getStatus');
    try {
      const controller = new AbortController();
      const watch = watchJob(store, hub, jobId, { signal: controller.signal, pollIntervalMs: 60_000 });
      expect((await watch.next()).value?.message.status).toBe('processing');
      const next = watch.next();
      // A window of 20 round trips on the same connection: a watcher reading without waiting would
      // read again within each of them; one that waits has read once, and asked once if the job exists.
      for (let n = 0; n < 20; n++) await redis.client.ping();
      expect(reads).toHaveBeenCalledTimes(1);
      expect(statusReads).toHaveBeenCalledTimes(0);
      controller.abort();
      expect((await next).done).toBe(true);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    } finally {
      reads.mockRestore();
      statusReads.mockRestore();
    }
  });
});
