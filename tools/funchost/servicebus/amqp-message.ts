import rhea from 'rhea';
import type { EncodedSendMessage } from './broker';
import type { ApplicationPropertyValue, MessageBody, StoredMessage } from './message';

/**
 * The AMQP form of a message as Service Bus puts it on the wire: properties and header from the message,
 * broker state in message annotations (x-opt-sequence-number, x-opt-enqueued-time, x-opt-locked-until,
 * x-opt-partition-key, x-opt-deadletter-source), and header delivery_count = earlier deliveries.
 */
export type RheaMessage = Record<string, unknown>;

const DATA_SECTION = 0x75;

/** Swaps between RFC 4122 byte order and .NET's Guid.ToByteArray() order (its own inverse). */
function swapGuidOrder(bytes: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(bytes.subarray(0, 4)).reverse(),
    Buffer.from(bytes.subarray(4, 6)).reverse(),
    Buffer.from(bytes.subarray(6, 8)).reverse(),
    bytes.subarray(8, 16),
  ]);
}

/** A lock token (uuid string) as Service Bus sends it: the bytes of .NET's Guid.ToByteArray(). */
export function lockTokenBytes(token: string): Buffer {
  return swapGuidOrder(Buffer.from(token.replace(/-/g, ''), 'hex'));
}

/** A lock token from AMQP uuid bytes (RFC order) or from delivery-tag bytes (.NET order). */
export function lockTokenFromBytes(bytes: Buffer, dotNetOrder: boolean): string {
  const hex = (dotNetOrder ? swapGuidOrder(bytes) : bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function toRheaMessage(message: StoredMessage): RheaMessage {
  const annotations: Record<string, unknown> = {
    'x-opt-sequence-number': rhea.types.wrap_long(message.sequenceNumber),
    'x-opt-enqueued-time': new Date(message.enqueuedAt),
  };
  if (message.lock) annotations['x-opt-locked-until'] = new Date(message.lock.lockedUntil);
  if (message.partitionKey !== undefined) annotations['x-opt-partition-key'] = message.partitionKey;
  if (message.deadLetter?.source !== undefined)
    annotations['x-opt-deadletter-source'] = message.deadLetter.source;
  if (message.state === 'deferred') annotations['x-opt-message-state'] = 1;
  const ttl =
    Number.isFinite(message.timeToLiveMs) && message.timeToLiveMs < 2 ** 32
      ? message.timeToLiveMs
      : undefined;
  const out: RheaMessage = {
    durable: true,
    delivery_count: Math.max(0, message.deliveryCount - 1),
    message_id: message.messageId,
    to: message.to,
    subject: message.subject,
    reply_to: message.replyTo,
    correlation_id: message.correlationId,
    content_type: message.contentType,
    group_id: message.sessionId,
    reply_to_group_id: message.replyToSessionId,
    message_annotations: annotations,
    application_properties: { ...message.applicationProperties },
    body:
      message.body.section === 'data' ? rhea.message.data_section(message.body.bytes) : message.body.value,
  };
  if (ttl !== undefined) {
    out.ttl = ttl;
    out.absolute_expiry_time = new Date(message.expiresAt);
    out.creation_time = new Date(message.enqueuedAt);
  }
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}

/** The AMQP bytes of a message (what the Functions host hands an sdkBinding trigger). */
export function encodeRheaMessage(message: StoredMessage): Buffer {
  return rhea.message.encode(toRheaMessage(message));
}

/** A message a sender link delivered, as the broker takes it. */
export function fromRheaMessage(message: RheaMessage): EncodedSendMessage {
  const annotations = (message.message_annotations ?? {}) as Record<string, unknown>;
  const scheduled = annotations['x-opt-scheduled-enqueue-time'];
  const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  const ttl = typeof message.ttl === 'number' ? message.ttl : undefined;
  return {
    body: toBody(message.body),
    messageId: str(message.message_id),
    sessionId: str(message.group_id),
    replyToSessionId: str(message.reply_to_group_id),
    contentType: str(message.content_type),
    correlationId: str(message.correlation_id),
    subject: str(message.subject),
    to: str(message.to),
    replyTo: str(message.reply_to),
    partitionKey: str(annotations['x-opt-partition-key']),
    applicationProperties: (message.application_properties ?? {}) as Record<string, ApplicationPropertyValue>,
    timeToLiveMs: ttl,
    scheduledEnqueueTimeUtc:
      scheduled instanceof Date ? scheduled : typeof scheduled === 'number' ? new Date(scheduled) : undefined,
  };
}

function toBody(body: unknown): MessageBody {
  if (body && typeof body === 'object' && (body as { typecode?: number }).typecode === DATA_SECTION) {
    const content = (body as { content: unknown }).content;
    return { section: 'data', bytes: Buffer.isBuffer(content) ? content : Buffer.from(String(content)) };
  }
  return { section: 'value', value: body };
}

/** A batch (message format 0x80013700) carries each message AMQP-encoded in a data section of its body. */
export function unbatch(payload: RheaMessage | Buffer): RheaMessage[] {
  // rhea leaves a transfer of a non-zero message format undecoded: the envelope is still bytes.
  const message = Buffer.isBuffer(payload)
    ? (rhea.message.decode(payload) as unknown as RheaMessage)
    : payload;
  const sections = Array.isArray(message.body) ? message.body : [message.body];
  const contents = sections.flatMap((section) => {
    const content = (section as { content?: unknown }).content;
    return Array.isArray(content) ? content : [content];
  });
  return contents.map((content) => rhea.message.decode(content as Buffer) as unknown as RheaMessage);
}
