import fs from 'node:fs';
import path from 'node:path';
import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';
import { startLocalHost } from '../../../tools/funchost/host';
import { rigStandaloneUrl } from '../../rig/rig-env';
import { uniqueId } from '../../rig/redis-targets';
import { SystemClock } from '../../../tools/funchost/clock';
import { ServiceBusEmulator } from '../../../tools/funchost/servicebus';
import { topology } from '../../../src/lib/messaging/topology';
import { hostSettings } from './harness';

/**
 * Consumers over AMQP: the unmodified @azure/service-bus ServiceBusReceiver (receiveMessages and
 * subscribe) and ServiceBusSessionReceiver (acceptSession / acceptNextSession) against the emulator,
 * as the other TripGen services run against `npm run dev`. What Service Bus does is in its docs:
 * https://learn.microsoft.com/azure/service-bus-messaging/message-sessions (one receiver holds a
 * session; messages of a session in order; session state) and .../message-transfers-locks-settlement.
 */
describe('Service Bus emulator: receivers over AMQP', () => {
  const emulator = new ServiceBusEmulator({ topology, settings: hostSettings(), clock: new SystemClock() });
  let client: ServiceBusClient;

  beforeAll(async () => {
    const listener = await emulator.listenAmqp({ port: 0 });
    client = new ServiceBusClient(listener.connectionString, {
      retryOptions: { maxRetries: 0, timeoutInMs: 5000 },
    });
  });
  afterAll(async () => {
    await client.close();
    await emulator.close();
  });
  beforeEach(() => emulator.reset());

  const bodies = (messages: ServiceBusReceivedMessage[]) => messages.map((m) => m.body as unknown);

  it('streams a subscription to subscribe() with auto-complete, in order', async () => {
    const sender = client.createSender('ai-events');
    await sender.sendMessages(
      [1, 2, 3].map((n) => ({
        body: { n },
        messageId: `e-${n}`,
        applicationProperties: { EventType: 'TripGenerated' },
      })),
    );
    await sender.close();
    const receiver = client.createReceiver('ai-events', 'notification-service-subscription');
    const received: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      const subscription = receiver.subscribe({
        processMessage: async (message) => {
          received.push(message.body);
          if (received.length === 3) void subscription.close().then(resolve);
        },
        processError: async ({ error }) => reject(error),
      });
    });
    await receiver.close();
    expect(received).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    // subscribe() completes each message once its handler returns: nothing left behind.
    await new Promise((r) => setTimeout(r, 50));
    expect(emulator.peek('ai-events/Subscriptions/notification-service-subscription')).toEqual([]);
  });

  it('redelivers an abandoned message with its delivery count, peek-lock on a queue', async () => {
    const sender = client.createSender('ai-recommendation');
    await sender.sendMessages({ body: 'r1', messageId: 'r1' });
    await sender.close();
    const receiver = client.createReceiver('ai-recommendation');
    const [first] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    expect(first).toMatchObject({ body: 'r1', deliveryCount: 0 });
    expect(first!.lockedUntilUtc!.getTime()).toBeGreaterThan(Date.now());
    await receiver.abandonMessage(first!);
    const [again] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    expect(again).toMatchObject({ body: 'r1', deliveryCount: 1 });
    await receiver.completeMessage(again!);
    await receiver.close();
    expect(emulator.peek('ai-recommendation')).toEqual([]);
  });

  it('gives a session receiver its session only, in order; one holder per session', async () => {
    const sender = client.createSender('ai-trip-generation');
    await sender.sendMessages([
      { body: 'a1', messageId: 'a1', sessionId: 'user-a' },
      { body: 'b1', messageId: 'b1', sessionId: 'user-b' },
      { body: 'a2', messageId: 'a2', sessionId: 'user-a' },
    ]);
    await sender.close();

    const a = await client.acceptSession('ai-trip-generation', 'user-a');
    expect(a.sessionId).toBe('user-a');
    expect(a.sessionLockedUntilUtc!.getTime()).toBeGreaterThan(Date.now());
    const fromA = await a.receiveMessages(5, { maxWaitTimeInMs: 500 });
    expect(bodies(fromA)).toEqual(['a1', 'a2']);
    // Service Bus lets one receiver hold a session at a time.
    await expect(client.acceptSession('ai-trip-generation', 'user-a')).rejects.toMatchObject({
      code: 'SessionCannotBeLocked',
    });
    // The next available session is the one nobody holds.
    const next = await client.acceptNextSession('ai-trip-generation');
    expect(next.sessionId).toBe('user-b');
    const [b1] = await next.receiveMessages(1, { maxWaitTimeInMs: 500 });
    await next.deadLetterMessage(b1!, { deadLetterReason: 'Rejected', deadLetterErrorDescription: 'test' });
    await next.close();

    // Session state, renewal, settlement; then the session is free again once closed.
    await a.setSessionState({ step: 2 });
    expect(await a.getSessionState()).toEqual({ step: 2 });
    expect((await a.renewSessionLock()).getTime()).toBeGreaterThan(Date.now());
    await a.completeMessage(fromA[0]!);
    await a.abandonMessage(fromA[1]!);
    await a.close();
    const again = await client.acceptSession('ai-trip-generation', 'user-a');
    const [a2] = await again.receiveMessages(1, { maxWaitTimeInMs: 500 });
    expect(a2).toMatchObject({ body: 'a2', deliveryCount: 1, sessionId: 'user-a' });
    await again.completeMessage(a2!);
    await again.close();
    expect(emulator.peek('ai-trip-generation')).toEqual([]);
    expect(emulator.deadLetters('ai-trip-generation')).toMatchObject([
      { messageId: 'b1', deadLetter: { reason: 'Rejected', description: 'test' } },
    ]);
  });

  it('refuses what Service Bus refuses: a plain receiver on a session queue, no session to accept', async () => {
    const plain = client.createReceiver('ai-trip-generation');
    await expect(plain.receiveMessages(1, { maxWaitTimeInMs: 500 })).rejects.toThrow(
      /requires sessions to create a non-sessionful message receiver/,
    );
    await plain.close();
    await expect(client.acceptNextSession('ai-trip-generation')).rejects.toMatchObject({
      code: 'ServiceTimeout',
    });
    await expect(client.acceptSession('ai-recommendation', 's')).rejects.toThrow();
  });
});

describe('a TripGen service consuming the local host over AMQP', () => {
  it('receives TripGenerated on ai-events/notification-service-subscription from a trip job run through the host', async () => {
    const root = path.resolve(__dirname, '../../..');
    const host = await startLocalHost({
      load: () => jest.isolateModules(() => require('../../../src/index')),
      env: {
        REDIS_URL: rigStandaloneUrl(),
        DURABLE_TASK_HUB_NAME: 'TripGenConsumerTest',
        AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      },
      hostJsonPath: path.join(root, 'host.json'),
      serviceBus: { topology },
      quiet: true,
    });
    // What the notification service would run: the unmodified client on the host's connection string.
    const consumer = new ServiceBusClient(host.serviceBusConnectionString!);
    const receiver = consumer.createReceiver('ai-events', 'notification-service-subscription');
    try {
      const sample = JSON.parse(
        fs.readFileSync(path.join(root, 'samples/trip-request.json'), 'utf8'),
      ) as object;
      const jobId = uniqueId('consumer-job');
      const startDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      const response = await fetch(`${host.baseUrl}/api/jobs/trip-generation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...sample, startDate, jobId, tripId: `trip-${jobId}` }),
      });
      expect(response.status).toBe(202);

      let event: ServiceBusReceivedMessage | undefined;
      const deadline = Date.now() + 25_000;
      while (!event && Date.now() < deadline) {
        const batch = await receiver.receiveMessages(10, { maxWaitTimeInMs: 1000 });
        for (const message of batch) {
          await receiver.completeMessage(message);
          if (message.messageId === `TripGenerated:${jobId}`) event = message;
        }
      }
      expect(event?.applicationProperties).toMatchObject({ EventType: 'TripGenerated' });
      expect(event?.body).toMatchObject({ jobId, tripId: `trip-${jobId}` });
    } finally {
      await receiver.close();
      await consumer.close();
      await host.stop();
    }
  });
});
