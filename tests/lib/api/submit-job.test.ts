import net from 'node:net';
import { submitJob } from '../../../src/lib/api/submit-job';
import { parseRedisUrl } from '../../../src/lib/config/redis-connection';
import { JobStateStore } from '../../../src/lib/jobs/job-state-store';
import type { CheckpointUpdate } from '../../../src/lib/jobs/job-types';
import { createRedisClient, type ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';
import { startRestartableRedis, type RestartableRedis } from '../../rig/restartable-redis';

const TTL = { jobStatus: 3600, jobProgress: 3600 };
const queued = (userId = 'u1'): CheckpointUpdate => ({
  userId,
  jobType: 'trip-generation',
  status: 'queued',
  progress: 0,
  step: 'queued',
  seq: 0,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(REDIS_TARGETS)('submitJob on $name', (target) => {
  let managed: ManagedRedisClient;
  let store: JobStateStore;
  beforeAll(async () => {
    managed = await target.connect();
    store = new JobStateStore(managed.client, TTL);
  });
  afterAll(() => managed.close());

  it('records queued and sends', async () => {
    const jobId = uniqueId('submit-ok');
    const sent: string[] = [];
    const outcome = await submitJob({
      jobId,
      store,
      queuedUpdate: queued(),
      send: async () => void sent.push(jobId),
    });
    expect(outcome).toEqual({ outcome: 'queued', jobId });
    expect(sent).toEqual([jobId]);
    expect((await store.getStatus(jobId))?.status).toBe('queued');
  });

  it('a send that throws leaves the record failed with SubmitFailed, not queued; a resubmit is a conflict', async () => {
    const jobId = uniqueId('submit-send-fails');
    const outcome = await submitJob({
      jobId,
      store,
      queuedUpdate: queued(),
      send: () => Promise.reject(new Error('ServiceCommunicationError: getaddrinfo ENOTFOUND')),
    });
    expect(outcome).toMatchObject({ outcome: 'failed', jobId, stage: 'send', recordedAs: 'failed' });
    const record = await store.getStatus(jobId);
    expect(record).toMatchObject({ status: 'failed', userId: 'u1' });
    expect(record?.error).toContain('SubmitFailed');
    const again = await submitJob({ jobId, store, queuedUpdate: queued(), send: async () => undefined });
    expect(again).toEqual({ outcome: 'conflict', jobId, status: 'failed' });
  });

  it('a job already past queued is a conflict and nothing is sent', async () => {
    const jobId = uniqueId('submit-running');
    await store.checkpoint(jobId, queued());
    await store.checkpoint(jobId, { status: 'processing', progress: 10, seq: 1 });
    let sends = 0;
    const outcome = await submitJob({ jobId, store, queuedUpdate: queued(), send: async () => void sends++ });
    expect(outcome).toEqual({ outcome: 'conflict', jobId, status: 'processing' });
    expect(sends).toBe(0);
  });
});

describe('submitJob when Redis fails', () => {
  let server: RestartableRedis;
  let managed: ManagedRedisClient;
  let store: JobStateStore;
  beforeAll(async () => {
    server = await startRestartableRedis('none');
    managed = await createRedisClient({
      endpoint: parseRedisUrl(server.url),
      cluster: false,
      policy: { commandTimeoutMs: 300 },
      onConnectionError: () => undefined,
    });
    store = new JobStateStore(managed.client, TTL);
  });
  afterAll(async () => {
    await managed.close();
    await server.stop();
  });

  it('Redis down: the caller gets an error, nothing is sent, and no queued record appears when it is back', async () => {
    const jobId = uniqueId('submit-redis-down');
    await server.kill('SIGKILL');
    let sends = 0;
    const outcome = await submitJob({ jobId, store, queuedUpdate: queued(), send: async () => void sends++ });
    expect(outcome).toMatchObject({ outcome: 'failed', stage: 'record', recordedAs: 'unknown' });
    expect(sends).toBe(0);
    await server.start();
    for (let i = 0; i < 200 && managed.client.status !== 'ready'; i++) await sleep(10);
    await sleep(50);
    expect(await store.getStatus(jobId)).toBeNull();
  }, 30_000);

  it('Redis timing out (DEBUG SLEEP): the queued write lands late, but the record ends failed, never queued', async () => {
    const jobId = uniqueId('submit-redis-slow');
    // Load the checkpoint script first (the restart above emptied the script cache), so the queued
    // write is one EVALSHA that the sleeping server runs as soon as it wakes.
    await store.checkpoint(uniqueId('warm-up'), queued());
    sendRaw(server.port, 'DEBUG SLEEP 1');
    await sleep(50);
    let sends = 0;
    const outcome = await submitJob({ jobId, store, queuedUpdate: queued(), send: async () => void sends++ });
    expect(outcome).toMatchObject({ outcome: 'failed', stage: 'record' });
    expect(sends).toBe(0);
    await sleep(1_200);
    const record = await store.getStatus(jobId);
    expect(record?.status).toBe('failed');
    expect(record?.error).toContain('SubmitFailed');
  }, 30_000);
});

function sendRaw(port: number, command: string): void {
  const socket = net.connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
  socket.on('data', () => socket.destroy());
  socket.on('error', () => undefined);
}
