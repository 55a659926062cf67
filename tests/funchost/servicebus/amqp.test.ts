import { ServiceBusClient } from '@azure/service-bus';
import { SystemClock } from '../../../tools/funchost/clock';
import { ServiceBusEmulator } from '../../../tools/funchost/servicebus';
import { topology } from '../../../src/lib/messaging/topology';
import { hostSettings } from './harness';

/** The unmodified @azure/service-bus client against the emulator's AMQP endpoint on loopback. */
describe('Service Bus emulator: AMQP 1.0 endpoint for @azure/service-bus', () => {
  const emulator = new ServiceBusEmulator({ topology, settings: hostSettings(), clock: new SystemClock() });
  let client: ServiceBusClient;
  let connectionString: string;

  beforeAll(async () => {
    const listener = await emulator.listenAmqp({ port: 0 });
    connectionString = listener.connectionString;
    expect(connectionString).toBe(
      `Endpoint=sb://127.0.0.1:${listener.port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=local;UseDevelopmentEmulator=true`,
    );
    client = new ServiceBusClient(connectionString, { retryOptions: { maxRetries: 0, timeoutInMs: 5000 } });
  });
  afterAll(async () => {
    await client.close();
    await emulator.close();
  });
  beforeEach(() => emulator.reset());

  it('takes single and batched sends with their properties', async () => {
    const sender = client.createSender('ai-trip-generation');
    await sender.sendMessages({
      body: { tripId: 'T1' },
      messageId: 'job-1',
      sessionId: 'user-1',
      contentType: 'application/json',
      correlationId: 'corr-1',
      subject: 'TripRequested',
      timeToLive: 60_000,
      applicationProperties: { Attempt: 1, Source: 'api' },
    });
    const batch = await sender.createMessageBatch();
    expect(batch.tryAddMessage({ body: 'b1', messageId: 'job-2', sessionId: 'user-2' })).toBe(true);
    expect(batch.tryAddMessage({ body: 'b2', messageId: 'job-3', sessionId: 'user-2' })).toBe(true);
    await sender.sendMessages(batch);
    await sender.sendMessages([{ body: 'dup', messageId: 'job-1', sessionId: 'user-1' }]); // dropped: duplicate
    await sender.close();
    const stored = emulator.peek('ai-trip-generation');
    expect(stored.map((m) => [m.messageId, m.sessionId, m.sequenceNumber])).toEqual([
      ['job-1', 'user-1', 1],
      ['job-2', 'user-2', 2],
      ['job-3', 'user-2', 3],
    ]);
    expect(stored[0]).toMatchObject({
      contentType: 'application/json',
      correlationId: 'corr-1',
      subject: 'TripRequested',
      timeToLiveMs: 60_000,
      applicationProperties: { Attempt: 1, Source: 'api' },
    });
    expect(JSON.parse(stored[0]!.body.section === 'data' ? stored[0]!.body.bytes.toString() : '')).toEqual({
      tripId: 'T1',
    });
  });

  it('fails a send to an unknown entity and a session-less send to a session queue', async () => {
    const unknown = client.createSender('no-such-queue');
    await expect(unknown.sendMessages({ body: 1 })).rejects.toMatchObject({
      code: 'MessagingEntityNotFound',
    });
    await unknown.close().catch(() => undefined);
    const sessions = client.createSender('ai-trip-generation');
    await expect(sessions.sendMessages({ body: 1 })).rejects.toThrow(/SessionId/);
    await sessions.close().catch(() => undefined);
  });

  it('fans topic sends out by filter and receives peek-lock from a subscription', async () => {
    const sender = client.createSender('ai-events');
    await sender.sendMessages([
      { body: { tripId: 'T1' }, messageId: 'ev-1', applicationProperties: { EventType: 'TripGenerated' } },
      { body: { x: 1 }, messageId: 'ev-2', applicationProperties: { EventType: 'PreferenceAnalyzed' } },
    ]);
    await sender.close();
    const receiver = client.createReceiver('ai-events', 'trip-service-subscription');
    const [message] = await receiver.receiveMessages(5, { maxWaitTimeInMs: 2000 });
    expect(message).toMatchObject({
      body: { tripId: 'T1' },
      messageId: 'ev-1',
      deliveryCount: 0,
      applicationProperties: { EventType: 'TripGenerated' },
    });
    expect(Number(message!.sequenceNumber)).toBe(1);
    expect(message!.lockedUntilUtc!.getTime()).toBeGreaterThan(Date.now() + 4 * 60_000);
    expect(emulator.peek('ai-events/Subscriptions/trip-service-subscription')[0]?.lock?.token).toBe(
      message!.lockToken,
    );
    await receiver.renewMessageLock(message!);
    await receiver.completeMessage(message!);
    await receiver.close();
    expect(emulator.peek('ai-events/Subscriptions/trip-service-subscription')).toEqual([]);
    expect(emulator.peek('ai-events/Subscriptions/user-service-subscription')).toHaveLength(1);
  });

  it('abandons, dead-letters, and reads the dead-letter queue', async () => {
    emulator.send('ai-recommendation', { body: { n: 1 }, messageId: 'r-1' });
    const receiver = client.createReceiver('ai-recommendation');
    const [first] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    await receiver.abandonMessage(first!);
    const [again] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    expect(again?.deliveryCount).toBe(1);
    await receiver.deadLetterMessage(again!, {
      deadLetterReason: 'ValidationFailed',
      deadLetterErrorDescription: 'days',
    });
    await receiver.close();
    expect(emulator.deadLetters('ai-recommendation')[0]).toMatchObject({
      messageId: 'r-1',
      deadLetter: { reason: 'ValidationFailed', description: 'days' },
    });
    const dlq = client.createReceiver('ai-recommendation', { subQueueType: 'deadLetter' });
    const peeked = await dlq.peekMessages(5);
    expect(peeked.map((m) => m.messageId)).toEqual(['r-1']);
    const [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    expect(dead).toMatchObject({ deadLetterReason: 'ValidationFailed', deadLetterErrorDescription: 'days' });
    await dlq.completeMessage(dead!);
    await dlq.close();
    expect(emulator.deadLetters('ai-recommendation')).toEqual([]);
  });

  it('hands out receive-and-delete messages removed at once', async () => {
    emulator.send('ai-batch-processing', { body: 'gone', messageId: 'b-1' });
    const receiver = client.createReceiver('ai-batch-processing', { receiveMode: 'receiveAndDelete' });
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    expect(message?.body).toBe('gone');
    await receiver.close();
    expect(emulator.peek('ai-batch-processing')).toEqual([]);
  });
});
