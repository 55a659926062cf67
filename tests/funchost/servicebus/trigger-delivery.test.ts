import { functionInvoker, gate, newEmulator, triggerSpec } from './harness';

const recommendation = triggerSpec({ queueName: 'ai-recommendation' });

describe('Service Bus emulator: sending and delivering to a function', () => {
  it('refuses unknown entities and session-less messages to session queues, as Service Bus does', () => {
    const { emulator } = newEmulator();
    expect(() => emulator.send('no-such-queue', { body: 1 })).toThrow(
      expect.objectContaining({ code: 'MessagingEntityNotFound' }),
    );
    expect(() => emulator.send('ai-trip-generation', { body: 1 })).toThrow(
      expect.objectContaining({ code: 'InvalidOperation', message: expect.stringContaining('SessionId') }),
    );
    expect(() => emulator.attachTrigger(triggerSpec({ queueName: 'nope' }), async () => {})).toThrow(
      expect.objectContaining({ code: 'MessagingEntityNotFound' }),
    );
  });

  it('delivers body and triggerMetadata the way the worker presents them, then completes', async () => {
    const { emulator, clock } = newEmulator();
    const seen: { body: unknown; meta: Record<string, unknown> }[] = [];
    emulator.attachTrigger(
      recommendation,
      functionInvoker({ queueName: 'ai-recommendation' }, (body, context) => {
        seen.push({ body, meta: context.triggerMetadata ?? {} });
      }),
    );
    const sent = emulator.send('ai-recommendation', {
      body: { tripId: 't-1', days: 3 },
      messageId: 'm-1',
      contentType: 'application/json',
      correlationId: 'c-1',
      subject: 'recommend',
      to: 'someone',
      replyTo: 'replies',
      partitionKey: 'p-1',
      timeToLiveMs: 60 * 60_000,
      applicationProperties: { EventType: 'RecommendationRequested', Attempt: 2 },
    });
    expect(sent).toEqual({
      outcome: 'enqueued',
      messageId: 'm-1',
      destinations: [{ path: 'ai-recommendation', sequenceNumber: 1 }],
    });
    await emulator.whenIdle();
    expect(seen).toHaveLength(1);
    const { body, meta } = seen[0]!;
    expect(body).toEqual({ tripId: 't-1', days: 3 });
    const enqueued = new Date(clock.now()).toISOString();
    expect(meta).toMatchObject({
      deliveryCount: 1,
      messageId: 'm-1',
      contentType: 'application/json',
      correlationId: 'c-1',
      subject: 'recommend',
      label: 'recommend',
      to: 'someone',
      replyTo: 'replies',
      partitionKey: 'p-1',
      sequenceNumber: 1,
      enqueuedTimeUtc: enqueued,
      // The message's own TTL (1 h) is below the queue's default (24 h).
      expiresAtUtc: new Date(clock.now() + 60 * 60_000).toISOString(),
      // The worker lower-cases the first letter of nested keys too.
      applicationProperties: { eventType: 'RecommendationRequested', attempt: 2 },
      userProperties: { eventType: 'RecommendationRequested', attempt: 2 },
    });
    expect(meta.lockToken).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(emulator.peek('ai-recommendation')).toEqual([]);
    expect(emulator.settlements).toEqual([
      { functionName: 'fn', action: 'complete', messageId: 'm-1', deliveryCount: 1 },
    ]);
  });

  it('delivers a non-JSON text body as a string and a binary body as bytes', async () => {
    const { emulator } = newEmulator();
    const bodies: unknown[] = [];
    emulator.attachTrigger(
      recommendation,
      functionInvoker({ queueName: 'ai-recommendation' }, (body) => void bodies.push(body)),
    );
    emulator.send('ai-recommendation', { body: Buffer.from('plain text') });
    await emulator.whenIdle();
    emulator.send('ai-recommendation', { body: Buffer.from([0xff, 0xfe, 0x00]) });
    await emulator.whenIdle();
    expect(bodies[0]).toBe('plain text');
    expect(Buffer.isBuffer(bodies[1]) && [...(bodies[1] as Buffer)]).toEqual([0xff, 0xfe, 0x00]);
  });

  it('assigns a message id when none is given and numbers messages per entity', () => {
    const { emulator } = newEmulator();
    const a = emulator.send('ai-batch-processing', { body: 'a' });
    const b = emulator.send('ai-batch-processing', { body: 'b' });
    expect(a.messageId).toMatch(/^[0-9a-f]{32}$/);
    expect(emulator.peek('ai-batch-processing').map((m) => [m.sequenceNumber, m.messageId])).toEqual([
      [1, a.messageId],
      [2, b.messageId],
    ]);
  });

  it('runs up to maxConcurrentCalls invocations at once', async () => {
    const { emulator } = newEmulator({ maxConcurrentCalls: 2 });
    const held = gate();
    let running = 0;
    let peak = 0;
    emulator.attachTrigger(recommendation, async () => {
      running++;
      peak = Math.max(peak, running);
      await held.promise;
      running--;
    });
    for (let i = 0; i < 5; i++) emulator.send('ai-recommendation', { body: i });
    await new Promise((resolve) => setImmediate(resolve));
    expect(running).toBe(2);
    held.open();
    await emulator.whenIdle();
    expect(peak).toBe(2);
    expect(emulator.settlements.filter((s) => s.action === 'complete')).toHaveLength(5);
  });

  it("hands cardinality 'many' triggers batches of up to maxMessageBatchSize with ...Array metadata", async () => {
    const { emulator } = newEmulator({ maxMessageBatchSize: 3 });
    const batches: { bodies: unknown; meta: Record<string, unknown> }[] = [];
    emulator.attachTrigger(
      triggerSpec({ queueName: 'ai-batch-processing', cardinality: 'many' }),
      functionInvoker({ queueName: 'ai-batch-processing', cardinality: 'many' }, (bodies, context) => {
        batches.push({ bodies, meta: context.triggerMetadata ?? {} });
      }),
    );
    for (let i = 1; i <= 7; i++) {
      emulator.send('ai-batch-processing', {
        body: { n: i },
        messageId: `b-${i}`,
        applicationProperties: { N: i },
      });
    }
    await emulator.whenIdle();
    expect(batches.map((b) => b.bodies)).toEqual([
      [{ n: 1 }, { n: 2 }, { n: 3 }],
      [{ n: 4 }, { n: 5 }, { n: 6 }],
      [{ n: 7 }],
    ]);
    expect(batches[0]!.meta).toMatchObject({
      messageIdArray: ['b-1', 'b-2', 'b-3'],
      deliveryCountArray: [1, 1, 1],
      sequenceNumberArray: [1, 2, 3],
      applicationPropertiesArray: [{ n: 1 }, { n: 2 }, { n: 3 }],
    });
    expect((batches[0]!.meta.lockTokenArray as string[]).length).toBe(3);
    expect(emulator.peek('ai-batch-processing')).toEqual([]);
  });

  it('whenIdle waits for a running function and for messages sent meanwhile', async () => {
    const { emulator } = newEmulator();
    const held = gate();
    const order: string[] = [];
    emulator.attachTrigger(recommendation, async (d) => {
      order.push(String(d.triggerData.json));
      if (order.length === 1) {
        await held.promise;
        emulator.send('ai-recommendation', { body: 'second' });
      }
    });
    emulator.send('ai-recommendation', { body: 'first' });
    let idle = false;
    const waiting = emulator.whenIdle().then(() => (idle = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(idle).toBe(false);
    held.open();
    await waiting;
    expect(order).toEqual(['"first"', '"second"']);
  });
});
