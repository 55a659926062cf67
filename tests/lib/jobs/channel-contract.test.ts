import calculateSlot from 'cluster-key-slot';
import type Redis from 'ioredis';
import { Cluster } from 'ioredis';
import { JobStateStore } from '../../../src/lib/jobs/job-state-store';
import type { CheckpointUpdate } from '../../../src/lib/jobs/job-types';
import { TTL_DEFAULT_SECONDS } from '../../../src/lib/config/ttl-defaults';
import type { ManagedRedisClient, RedisClient } from '../../../src/lib/redis/client-factory';
import { Channels, Keys } from '../../../src/lib/redis/keys';
import { recordChannels } from '../../rig/channel-recorder';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';

/**
 * The contract other TripGen services rely on: for each transition of a job, exactly which messages
 * arrive on which of its four channels (README "The job-state layer"): status when the status changes,
 * progress when progress rises or a step is named, complete / error on completion / failure, and a
 * cancellation on the status channel only. "Exactly" is proven by a marker published after each
 * transition through the node that ran the script: one node's messages arrive in order.
 */
type Expected = Array<[channel: 'status' | 'progress' | 'complete' | 'error', eventType: string]>;

const CREATE = { userId: 'user-1', jobType: 'trip-generation' } as const;

const TRANSITIONS: Array<{
  name: string;
  before: CheckpointUpdate[];
  update: CheckpointUpdate;
  expected: Expected;
}> = [
  {
    name: 'a new job, queued',
    before: [],
    update: { ...CREATE, status: 'queued', progress: 0, seq: 0 },
    expected: [['status', 'job_status_update']],
  },
  {
    name: 'queued → processing with a step',
    before: [{ ...CREATE, status: 'queued', seq: 0 }],
    update: { status: 'processing', progress: 5, step: 'validating_request', seq: 1 },
    expected: [
      ['status', 'job_status_update'],
      ['progress', 'job_progress_update'],
    ],
  },
  {
    name: 'progress rises while processing',
    before: [{ ...CREATE, status: 'processing', progress: 5, seq: 1 }],
    update: { progress: 40, seq: 2 },
    expected: [['progress', 'job_progress_update']],
  },
  {
    name: 'a checkpoint that changes nothing others see',
    before: [{ ...CREATE, status: 'processing', progress: 40, seq: 1 }],
    update: { progress: 30, seq: 2 },
    expected: [],
  },
  {
    name: 'a replayed checkpoint (same seq)',
    before: [{ ...CREATE, status: 'processing', progress: 40, step: 'planning_days', seq: 3 }],
    update: { status: 'processing', progress: 40, step: 'planning_days', seq: 3 },
    expected: [],
  },
  {
    name: 'processing → completed',
    before: [{ ...CREATE, status: 'processing', progress: 90, seq: 1 }],
    update: { status: 'completed', step: 'completed', seq: 2 },
    expected: [
      ['status', 'job_status_update'],
      ['progress', 'job_progress_update'],
      ['complete', 'job_completed'],
    ],
  },
  {
    name: 'processing → failed',
    before: [{ ...CREATE, status: 'processing', progress: 50, seq: 1 }],
    update: { status: 'failed', step: 'failed', error: 'Timeout: too slow', seq: 2 },
    expected: [
      ['status', 'job_status_update'],
      ['progress', 'job_progress_update'],
      ['error', 'job_failed'],
    ],
  },
  {
    // Exactly the checkpoint DELETE /api/jobs/{jobId} writes (src/lib/api/jobs-api.ts).
    name: 'processing → cancelled (as the API cancels)',
    before: [{ ...CREATE, status: 'processing', progress: 50, seq: 1 }],
    update: { status: 'cancelled', step: 'cancelled', error: 'cancelled by request' },
    expected: [['status', 'job_status_update']],
  },
  {
    name: 'queued → cancelled',
    before: [{ ...CREATE, status: 'queued', seq: 0 }],
    update: { status: 'cancelled', step: 'cancelled', error: 'cancelled by request' },
    expected: [['status', 'job_status_update']],
  },
  {
    name: 'any checkpoint after a terminal state',
    before: [
      { ...CREATE, status: 'processing', seq: 1 },
      { status: 'cancelled', step: 'cancelled' },
    ],
    update: { status: 'processing', progress: 60, step: 'planning_days', seq: 5 },
    expected: [],
  },
];

/** The master that owns the job's slot, where the checkpoint script runs and publishes. */
function scriptNode(client: RedisClient, jobId: string): Redis {
  if (!(client instanceof Cluster)) return client;
  const owner = client.slots[calculateSlot(Keys.jobStatus(jobId))]![0];
  return client.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === owner)!;
}

describe.each(REDIS_TARGETS)('channel contract on $name Redis', (target) => {
  let redis: ManagedRedisClient;
  let subscriber: ManagedRedisClient;
  let store: JobStateStore;
  beforeAll(async () => {
    [redis, subscriber] = await Promise.all([target.connect(), target.connect()]);
    store = new JobStateStore(redis.client, TTL_DEFAULT_SECONDS);
  });
  afterAll(async () => {
    await Promise.all([redis.close(), subscriber.close()]);
  });

  it.each(TRANSITIONS)('$name', async ({ before, update, expected }) => {
    const jobId = uniqueId('contract');
    const names = {
      status: Channels.jobStatus(jobId),
      progress: Channels.jobProgress(jobId),
      complete: Channels.jobComplete(jobId),
      error: Channels.jobError(jobId),
    };
    const node = scriptNode(redis.client, jobId);
    const recorder = await recordChannels(subscriber.client, Object.values(names));
    const mark = async (label: string) => {
      await node.publish(names.status, JSON.stringify({ eventType: label }));
      return recorder.waitForMatch((m) => m.eventType === label);
    };
    for (const earlier of before) await store.checkpoint(jobId, earlier).catch(() => undefined);
    // In a cluster the earlier messages travel to the subscriber's node over the cluster bus and may
    // still be on their way: everything up to this marker belongs to them.
    const start = (await mark('before-done')) + 1;
    await store.checkpoint(jobId, update).catch(() => undefined);
    await mark('marker');
    const received = recorder.received.slice(start);
    await recorder.stop();
    const byName = Object.fromEntries(Object.entries(names).map(([k, v]) => [v, k]));
    expect(received.map((r) => [byName[r.channel], r.message.eventType])).toEqual([
      ...expected,
      ['status', 'marker'],
    ]);
    // Every message describes the same state: the job's record after the transition.
    const record = await store.getStatus(jobId);
    for (const { message } of received.slice(0, -1))
      expect(message).toMatchObject({
        jobId,
        userId: 'user-1',
        status: record!.status,
        progress: record!.progress,
      });
  });
});
