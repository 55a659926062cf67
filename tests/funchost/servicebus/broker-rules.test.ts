import { topology, type MessagingTopology } from '../../../src/lib/messaging/topology';
import { gate, newEmulator, triggerSpec } from './harness';

const MIN = 60_000;
const recommendation = triggerSpec({ queueName: 'ai-recommendation' }); // lock 10 min, 5 deliveries, TTL 24 h

describe('Service Bus emulator: broker rules on the virtual clock', () => {
  it('abandons on throw and dead-letters after maxDeliveryCount with MaxDeliveryCountExceeded', async () => {
    const { emulator } = newEmulator();
    const counts: unknown[] = [];
    emulator.attachTrigger(recommendation, async (d) => {
      counts.push(d.triggerMetadata.DeliveryCount?.int);
      throw new Error('boom');
    });
    emulator.send('ai-recommendation', { body: { bad: true }, messageId: 'poison' });
    await emulator.whenIdle();
    expect(counts).toEqual([1, 2, 3, 4, 5]);
    expect(emulator.peek('ai-recommendation')).toEqual([]);
    const [dead] = emulator.deadLetters('ai-recommendation');
    expect(dead).toMatchObject({
      messageId: 'poison',
      deliveryCount: 5,
      deadLetter: {
        reason: 'MaxDeliveryCountExceeded',
        description: 'Message could not be consumed after 5 delivery attempts.',
      },
      applicationProperties: { DeadLetterReason: 'MaxDeliveryCountExceeded' },
    });
  });

  it('redelivers when the lock lapses while the function still runs (auto-renewal window over)', async () => {
    const { emulator, clock } = newEmulator({ maxAutoLockRenewalDurationMs: 0 });
    const first = gate();
    const deliveries: number[] = [];
    emulator.attachTrigger(recommendation, async (d) => {
      deliveries.push(Number(d.triggerMetadata.DeliveryCount?.int));
      if (deliveries.length === 1) await first.promise;
    });
    emulator.send('ai-recommendation', { body: 1, messageId: 'slow' });
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(5 * MIN - 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(deliveries).toEqual([1]);
    clock.advance(1); // the queue's 5-minute lock lapses
    await new Promise((resolve) => setImmediate(resolve));
    expect(deliveries).toEqual([1, 2]);
    first.open();
    await emulator.whenIdle();
    expect(emulator.settlements.map((s) => [s.action, s.deliveryCount])).toEqual([
      ['complete', 2],
      ['lock-lost', 2],
    ]);
  });

  it('keeps renewing the lock while the function runs, up to maxAutoLockRenewalDuration', async () => {
    const { emulator, clock } = newEmulator({ maxAutoLockRenewalDurationMs: 30 * MIN });
    const held = gate();
    let deliveries = 0;
    emulator.attachTrigger(recommendation, async () => {
      deliveries++;
      if (deliveries === 1) await held.promise;
    });
    emulator.send('ai-recommendation', { body: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 30; i++) clock.advance(MIN);
    expect(deliveries).toBe(1); // 30 min on a 5-min lock, still held
    clock.advance(5 * MIN); // renewal stopped at 30 min: the last lock runs out
    await new Promise((resolve) => setImmediate(resolve));
    expect(deliveries).toBe(2);
    held.open();
    await emulator.whenIdle();
  });

  it('expires messages to the dead-letter queue (TTLExpiredException), per-message TTL first', () => {
    const { emulator, clock } = newEmulator();
    emulator.send('ai-recommendation', { body: 'short', messageId: 'short', timeToLiveMs: 5 * MIN });
    emulator.send('ai-recommendation', { body: 'long', messageId: 'long', timeToLiveMs: 48 * 60 * MIN });
    clock.advance(5 * MIN);
    expect(emulator.peek('ai-recommendation').map((m) => m.messageId)).toEqual(['long']);
    clock.advance(24 * 60 * MIN); // the queue's default TTL (24 h) caps the 48 h one
    expect(emulator.peek('ai-recommendation')).toEqual([]);
    expect(emulator.deadLetters('ai-recommendation').map((m) => [m.messageId, m.deadLetter?.reason])).toEqual(
      [
        ['short', 'TTLExpiredException'],
        ['long', 'TTLExpiredException'],
      ],
    );
  });

  it('drops expired messages where deadLetteringOnMessageExpiration is off', () => {
    const entities: MessagingTopology = {
      ...topology,
      queues: topology.queues.map((q) => ({ ...q, deadLetteringOnMessageExpiration: false })),
    };
    const { emulator, clock } = newEmulator({}, entities);
    emulator.send('ai-batch-processing', { body: 1 });
    clock.advance(12 * 60 * MIN);
    expect(emulator.peek('ai-batch-processing')).toEqual([]);
    expect(emulator.deadLetters('ai-batch-processing')).toEqual([]);
  });

  it('drops a repeated messageId inside the duplicate detection window only', () => {
    const { emulator, clock } = newEmulator();
    expect(emulator.send('ai-recommendation', { body: 1, messageId: 'same' }).outcome).toBe('enqueued');
    clock.advance(29 * MIN);
    expect(emulator.send('ai-recommendation', { body: 2, messageId: 'same' })).toEqual({
      outcome: 'duplicate',
      messageId: 'same',
    });
    clock.advance(MIN); // PT30M window over
    expect(emulator.send('ai-recommendation', { body: 3, messageId: 'same' }).outcome).toBe('enqueued');
    // ai-batch-processing has duplicate detection off.
    emulator.send('ai-batch-processing', { body: 1, messageId: 'same' });
    emulator.send('ai-batch-processing', { body: 2, messageId: 'same' });
    expect(emulator.peek('ai-batch-processing')).toHaveLength(2);
  });

  it('runs one message at a time per session, in order, and sessions in parallel', async () => {
    const { emulator } = newEmulator({ maxConcurrentSessions: 2 });
    const log: string[] = [];
    const running = new Map<string, number>();
    let overlap = 0;
    let parallel = 0;
    const release: (() => void)[] = [];
    emulator.attachTrigger(
      triggerSpec({ queueName: 'ai-trip-generation', isSessionsEnabled: true }),
      async (d) => {
        const session = String(d.triggerMetadata.SessionId?.string);
        running.set(session, (running.get(session) ?? 0) + 1);
        overlap = Math.max(overlap, running.get(session) ?? 0);
        parallel = Math.max(parallel, [...running.values()].filter((n) => n > 0).length);
        log.push(`${session}:${String(d.triggerData.json)}`);
        await new Promise<void>((resolve) => release.push(resolve));
        running.set(session, (running.get(session) ?? 1) - 1);
      },
    );
    for (const [session, body] of [
      ['s1', 1],
      ['s2', 1],
      ['s1', 2],
      ['s3', 1],
      ['s1', 3],
      ['s2', 2],
    ] as const) {
      emulator.send('ai-trip-generation', { body, sessionId: session });
    }
    const idle = emulator.whenIdle();
    while (log.length < 6) {
      await new Promise((resolve) => setImmediate(resolve));
      release.splice(0).forEach((r) => r());
    }
    await idle;
    expect(overlap).toBe(1);
    expect(parallel).toBe(2);
    expect(log.filter((l) => l.startsWith('s1'))).toEqual(['s1:1', 's1:2', 's1:3']);
    expect(log.filter((l) => l.startsWith('s2'))).toEqual(['s2:1', 's2:2']);
    expect(log).toContain('s3:1');
  });

  it('reset() empties entities, dead-letter queues and the duplicate history', () => {
    const { emulator } = newEmulator();
    emulator.send('ai-recommendation', { body: 1, messageId: 'x' });
    emulator.reset();
    expect(emulator.peek('ai-recommendation')).toEqual([]);
    expect(emulator.send('ai-recommendation', { body: 1, messageId: 'x' }).outcome).toBe('enqueued');
  });
});
