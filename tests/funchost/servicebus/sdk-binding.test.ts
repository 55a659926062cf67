import type { ServiceBusReceivedMessage } from '@azure/service-bus';
import extensionPackage from '@azure/functions-extensions-servicebus/package.json';
import {
  deadLetter,
  extensionWrapsReason,
  messageBody,
  singleMessage,
} from '../../../src/lib/messaging/queue-settlement';
import type { ServiceBusEmulator } from '../../../tools/funchost/servicebus';
import type { VirtualClock } from '../../../tools/funchost/clock';
import { functionInvoker, newEmulator, triggerSpec } from './harness';

interface Actions {
  complete(m: ServiceBusReceivedMessage): Promise<void>;
  abandon(m: ServiceBusReceivedMessage): Promise<void>;
  deadletter(
    m: ServiceBusReceivedMessage,
    props?: Uint8Array,
    reason?: unknown,
    description?: unknown,
  ): Promise<void>;
  renewMessageLock(m: ServiceBusReceivedMessage): Promise<void>;
}
type Settle = (message: ServiceBusReceivedMessage, actions: Actions) => Promise<void>;

/**
 * sdkBinding triggers through the real @azure/functions-extensions-servicebus: the emulator hands the
 * function modelBindingData, the extension decodes it and its actions call the emulator's Settlement
 * gRPC service, found through the --host/--port arguments the Functions host passes the worker.
 */
describe('Service Bus emulator: sdkBinding settlement through @azure/functions-extensions-servicebus', () => {
  let emulator: ServiceBusEmulator;
  let clock: VirtualClock;
  let settle: Settle;
  const received: ServiceBusReceivedMessage[] = [];
  const argvBefore = [...process.argv];

  beforeAll(async () => {
    ({ emulator, clock } = newEmulator());
    const { host, port } = await emulator.startSettlement();
    expect(emulator.settlementEndpoint()).toEqual({ host, port });
    process.argv.push(
      '--host',
      host,
      '--port',
      String(port),
      '--functions-grpc-max-message-length',
      '2147483647',
    );
    const invoke = functionInvoker(
      { queueName: 'ai-trip-generation', sdkBinding: true, extension: true },
      async (trigger) => {
        const { messages, actions } = trigger as { messages: ServiceBusReceivedMessage; actions: Actions };
        received.push(messages);
        await settle(messages, actions);
      },
    );
    emulator.attachTrigger(
      triggerSpec({
        queueName: 'ai-trip-generation',
        isSessionsEnabled: true,
        sdkBinding: true,
        autoCompleteMessages: false,
      }),
      invoke,
    );
  });
  afterAll(async () => {
    process.argv.splice(0, process.argv.length, ...argvBefore);
    await emulator.close();
  });
  beforeEach(() => {
    emulator.reset();
    received.length = 0;
  });

  const send = (messageId: string) =>
    emulator.send('ai-trip-generation', {
      body: { tripId: 'T1' },
      messageId,
      sessionId: 'user-1',
      contentType: 'application/json',
      applicationProperties: { Source: 'test' },
    });

  it('decodes the message with its lock token and dead-letters it with reason and description', async () => {
    // 0.2.0-preview types the reason as a string but its proto field is a StringValue: only the
    // { value } form serialises (see the next test).
    settle = (m, a) =>
      a.deadletter(m, undefined, { value: 'ValidationFailed' }, { value: 'days: must be 1-14' });
    send('bad-1');
    await emulator.whenIdle();
    const [message] = received;
    expect(message).toMatchObject({
      body: { tripId: 'T1' },
      messageId: 'bad-1',
      sessionId: 'user-1',
      contentType: 'application/json',
      applicationProperties: { Source: 'test' },
      deliveryCount: 0, // the raw AMQP header: earlier deliveries
    });
    expect(message?.lockToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(message?.sequenceNumber)).toBe(1);
    // x-opt-enqueued-time is an AMQP timestamp (a Date once decoded), which 0.2.0-preview only reads
    // when it is a string or number: the extension leaves enqueuedTimeUtc unset, as against Azure.
    expect(message?.enqueuedTimeUtc).toBeUndefined();
    expect(emulator.peek('ai-trip-generation')).toEqual([]);
    expect(emulator.deadLetters('ai-trip-generation')).toEqual([
      expect.objectContaining({
        messageId: 'bad-1',
        deadLetter: { reason: 'ValidationFailed', description: 'days: must be 1-14' },
        applicationProperties: {
          Source: 'test',
          DeadLetterReason: 'ValidationFailed',
          DeadLetterErrorDescription: 'days: must be 1-14',
        },
      }),
    ]);
  });

  it('queue-settlement dead-letters with plain-text reason and description, through the installed extension', async () => {
    settle = (m, a) =>
      deadLetter(
        singleMessage({ messages: m, actions: a }).actions,
        m,
        'ValidationFailed',
        'days: must be 1-14; ' + 'x'.repeat(5000),
      );
    send('bad-3');
    await emulator.whenIdle();
    expect(messageBody(received[0]!)).toEqual({ tripId: 'T1' });
    const [dead] = emulator.deadLetters('ai-trip-generation');
    expect(dead?.deadLetter?.reason).toBe('ValidationFailed');
    expect(dead?.deadLetter?.description).toMatch(/^days: must be 1-14; x+$/);
    expect(dead?.deadLetter?.description).toHaveLength(4096);
    expect(dead?.applicationProperties.DeadLetterReason).toBe('ValidationFailed');
  });

  it('pins why queue-settlement wraps on this version: 0.2.x fails a plain-string reason before reaching the host', async () => {
    expect(extensionPackage.version).toBe('0.2.0-preview'); // pinned exactly in package.json
    expect(extensionWrapsReason(extensionPackage.version)).toBe(false);
    let failure: unknown;
    settle = (m, a) =>
      a.deadletter(m, undefined, 'ValidationFailed', 'x').catch((error: unknown) => void (failure = error));
    send('bad-2');
    await emulator.whenIdle();
    expect(String(failure)).toMatch(/deadletterReason: object expected/);
    expect(emulator.deadLetters('ai-trip-generation')).toEqual([]);
    // Neither settled nor thrown: the message stays locked (the queue's 5 min) and is then redelivered.
    expect(emulator.peek('ai-trip-generation')[0]?.lock).toBeDefined();
    settle = (m, a) => a.complete(m);
    clock.advance(5 * 60_000);
    await emulator.whenIdle();
    expect(received.map((m) => m.deliveryCount)).toEqual([0, 1]);
    expect(emulator.peek('ai-trip-generation')).toEqual([]);
  });

  it('dead-letters without a reason, renews and completes', async () => {
    settle = async (m, a) => {
      await a.renewMessageLock(m);
      await a.deadletter(m);
    };
    send('plain-dead');
    await emulator.whenIdle();
    expect(emulator.deadLetters('ai-trip-generation').map((m) => [m.messageId, m.deadLetter])).toEqual([
      ['plain-dead', { reason: undefined, description: undefined }],
    ]);
  });

  it('abandons a message whose function throws, and refuses a settlement with a spent lock', async () => {
    let second: unknown;
    settle = async (m, a) => {
      if (received.length === 1) throw new Error('transient');
      await a.complete(m);
      second = await a.complete(m).catch((error: unknown) => error);
    };
    send('flaky');
    await emulator.whenIdle();
    expect(received.map((m) => m.deliveryCount)).toEqual([0, 1]);
    expect(String((second as { details?: string }).details)).toMatch(/MessageLockLost/);
    expect(emulator.peek('ai-trip-generation')).toEqual([]);
  });
});

describe('queue-settlement contract across extension versions', () => {
  const message = (body: unknown) => ({ body }) as ServiceBusReceivedMessage;

  it('parses a raw Buffer body (0.4 and later) as UTF-8 JSON', () => {
    expect(messageBody(message(Buffer.from(JSON.stringify({ jobId: 'j-1', days: 3 }))))).toEqual({
      jobId: 'j-1',
      days: 3,
    });
    expect(messageBody(message(new Uint8Array(Buffer.from('[1,2]'))))).toEqual([1, 2]);
  });

  it('gives text that is not JSON back as text, and bytes that are not UTF-8 back as bytes', () => {
    expect(messageBody(message(Buffer.from('not json')))).toBe('not json');
    const bytes = Buffer.from([0xff, 0xfe, 0x00]);
    expect(messageBody(message(bytes))).toBe(bytes);
  });

  it('passes an already decoded body (0.2.x) through unchanged', () => {
    expect(messageBody(message({ tripId: 'T1' }))).toEqual({ tripId: 'T1' });
    expect(messageBody(message('text'))).toBe('text');
  });

  it('passes the reason as a string from 0.3 on (the extension wraps it), as { value } before', () => {
    expect(
      ['0.2.0-preview', '0.2.5', '0.3.0', '0.4.0', '0.5.1', '1.0.0'].map((v) => extensionWrapsReason(v)),
    ).toEqual([false, false, true, true, true, true]);
  });
});
