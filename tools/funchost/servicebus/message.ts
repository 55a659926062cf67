import { randomUUID } from 'node:crypto';

/**
 * A message as the broker holds it. The body is kept as the AMQP body section it travels in, so what the
 * @azure/service-bus client sent is what any receiver (trigger, AMQP client, sdkBinding decoder) gets back.
 */
export type ApplicationPropertyValue = string | number | boolean | Date | null;

/** What `ServiceBusEmulator.send` takes; mirrors ServiceBusMessage of @azure/service-bus. */
export interface SendMessage {
  /** Buffers travel as they are; anything else is JSON-encoded into a data section, as the SDK does. */
  body: unknown;
  messageId?: string;
  sessionId?: string;
  replyToSessionId?: string;
  contentType?: string;
  correlationId?: string;
  subject?: string;
  to?: string;
  replyTo?: string;
  partitionKey?: string;
  applicationProperties?: Record<string, ApplicationPropertyValue>;
  timeToLiveMs?: number;
  scheduledEnqueueTimeUtc?: Date;
}

/** The AMQP body section: `data` (bytes; what the SDK sends by default) or an AMQP `value`. */
export type MessageBody = { section: 'data'; bytes: Buffer } | { section: 'value'; value: unknown };

export interface DeadLetterInfo {
  reason?: string;
  description?: string;
  /** The entity the message was dead-lettered from (set on messages forwarded from elsewhere only). */
  source?: string;
}

export interface StoredMessage {
  sequenceNumber: number;
  body: MessageBody;
  messageId: string;
  sessionId?: string;
  replyToSessionId?: string;
  contentType?: string;
  correlationId?: string;
  subject?: string;
  to?: string;
  replyTo?: string;
  partitionKey?: string;
  applicationProperties: Record<string, ApplicationPropertyValue>;
  /** Effective time to live: the smaller of the message's and the entity's default. */
  timeToLiveMs: number;
  enqueuedAt: number;
  expiresAt: number;
  /** Deliveries so far, the one in progress included (Service Bus's DeliveryCount). */
  deliveryCount: number;
  state: 'active' | 'deferred';
  deadLetter?: DeadLetterInfo;
  lock?: { token: string; lockedUntil: number };
}

/** A copy a test or a receiver may keep: no live lock object, body and properties cloned. */
export function snapshot(message: StoredMessage): StoredMessage {
  return {
    ...message,
    applicationProperties: { ...message.applicationProperties },
    lock: message.lock && { ...message.lock },
    deadLetter: message.deadLetter && { ...message.deadLetter },
  };
}

export function encodeBody(body: unknown): MessageBody {
  if (Buffer.isBuffer(body)) return { section: 'data', bytes: body };
  if (body instanceof Uint8Array) return { section: 'data', bytes: Buffer.from(body) };
  return { section: 'data', bytes: Buffer.from(JSON.stringify(body ?? null), 'utf8') };
}

/** The body as the @azure/service-bus receiver decodes it: JSON when the bytes parse, else the bytes. */
export function decodeBody(body: MessageBody): unknown {
  if (body.section === 'value') return body.value;
  try {
    return JSON.parse(body.bytes.toString('utf8'));
  } catch {
    return body.bytes;
  }
}

/** The body as text when it is valid UTF-8 (how the Functions host binds it for a Node function). */
export function bodyText(body: MessageBody): string | undefined {
  if (body.section === 'value') {
    return typeof body.value === 'string' ? body.value : JSON.stringify(body.value);
  }
  const text = body.bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(body.bytes) ? text : undefined;
}

/** Service Bus assigns a 32-hex-digit id to a message sent without one. */
export function newMessageId(): string {
  return randomUUID().replace(/-/g, '');
}
