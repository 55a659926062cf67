/**
 * A queue message delivered twice runs nothing twice, through the queue trigger (not only the job
 * API's 409): the real app on the local host, the Service Bus emulation delivering the same message
 * again (the batch queue has no duplicate detection, so the broker does not drop it), the rig's Redis.
 */
import Redis from 'ioredis';
import { EventType } from '../../tools/funchost/durable/history';
import type { LocalHost } from '../../tools/funchost/host';
import { Keys } from '../../src/lib/redis/keys';
import { jobIdFromMessageId } from '../../src/orchestrations/kit/intake';
import { instanceIdOf } from '../../src/orchestrations/kit/workflow-definition';
import { rigStandaloneUrl } from '../rig/rig-env';
import { uniqueId } from '../rig/redis-targets';
import { startAppWithBlob, type AppWithBlob } from './app-with-blob';

describe('duplicate delivery of a queue message', () => {
  let app: AppWithBlob;
  let host: LocalHost;
  let redis: Redis;

  beforeAll(async () => {
    app = await startAppWithBlob('TripGenAIDuplicateTest', { env: { AI_BATCH_SIZE: '2' } });
    host = app.host;
    redis = new Redis(rigStandaloneUrl());
  });
  afterAll(async () => {
    redis.disconnect();
    await app.stop();
  });

  const QUEUE = 'ai-batch-processing';
  const send = (messageId: string, body: unknown) =>
    host.serviceBus!.send(QUEUE, { messageId, body, contentType: 'application/json' });
  const finished = (instanceId: string) =>
    host.durable.waitFor(
      instanceId,
      (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus),
      25_000,
    );
  const statuses = async (jobId: string) =>
    (await redis.xrange(Keys.jobEvents(jobId), '-', '+')).map(
      ([, fields]) => (JSON.parse(fields[1]!) as { status: string }).status,
    );
  const announced = (jobId: string) =>
    host
      .serviceBus!.peek('ai-events/Subscriptions/analytics-service-subscription')
      .filter((m) => m.messageId === `BatchCompleted:${jobId}`);
  const batch = () => ({
    operation: 'analyse-preferences',
    items: Array.from({ length: 3 }, () => ({ userId: uniqueId('dup-user') })),
  });

  it('runs a message delivered twice at once (job id from its message id) exactly once', async () => {
    const messageId = uniqueId('dup-message');
    const jobId = jobIdFromMessageId(messageId);
    const body = batch();
    send(messageId, body);
    send(messageId, body);
    const instance = await finished(instanceIdOf('batch', jobId));
    await host.durable.whenIdle();
    await host.serviceBus!.whenIdle();
    expect(instance.runtimeStatus).toBe('Completed');
    // One orchestration, started once; both deliveries settled (completed), none dead-lettered.
    expect(host.durable.list().filter((i) => i.instanceId === instance.instanceId)).toHaveLength(1);
    expect(instance.history.filter((e) => e.EventType === EventType.ExecutionStarted)).toHaveLength(1);
    expect(host.serviceBus!.peek(QUEUE).filter((m) => m.messageId === messageId)).toHaveLength(0);
    expect(host.serviceBus!.deadLetters(QUEUE).filter((m) => m.messageId === messageId)).toHaveLength(0);
    const seen = await statuses(jobId);
    expect(seen.filter((s) => s === 'processing').length).toBeGreaterThan(0);
    expect(seen.filter((s) => s === 'completed')).toHaveLength(1);
    expect(seen.at(-1)).toBe('completed');
    expect(announced(jobId)).toHaveLength(1);
  });

  it('runs nothing when the same message comes again after its job completed', async () => {
    const messageId = uniqueId('dup-message');
    const jobId = jobIdFromMessageId(messageId);
    const body = batch();
    send(messageId, body);
    const first = await finished(instanceIdOf('batch', jobId));
    await host.serviceBus!.whenIdle();
    const historyLength = first.history.length;
    const before = await statuses(jobId);

    send(messageId, body);
    await host.serviceBus!.whenIdle();
    await host.durable.whenIdle();
    const again = host.durable.get(instanceIdOf('batch', jobId))!;
    expect(again.runtimeStatus).toBe('Completed');
    expect(again.history).toHaveLength(historyLength);
    expect(await statuses(jobId)).toEqual(before);
    expect(host.serviceBus!.peek(QUEUE).filter((m) => m.messageId === messageId)).toHaveLength(0);
    expect(host.serviceBus!.deadLetters(QUEUE).filter((m) => m.messageId === messageId)).toHaveLength(0);
    expect(announced(jobId)).toHaveLength(1);
  });

  it('runs a message carrying its own job id once when it is delivered again under another message id', async () => {
    const jobId = uniqueId('dup-job');
    const body = { ...batch(), jobId };
    send(uniqueId('m'), body);
    send(uniqueId('m'), body);
    const instance = await finished(instanceIdOf('batch', jobId));
    await host.durable.whenIdle();
    await host.serviceBus!.whenIdle();
    expect(instance.history.filter((e) => e.EventType === EventType.ExecutionStarted)).toHaveLength(1);
    expect((await statuses(jobId)).filter((s) => s === 'completed')).toHaveLength(1);
    expect(announced(jobId)).toHaveLength(1);
  });
});
