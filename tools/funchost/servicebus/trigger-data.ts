import { randomUUID } from 'node:crypto';
import { encodeRheaMessage, lockTokenBytes } from './amqp-message';
import type { RpcTypedDataLike, ServiceBusDelivery, ServiceBusTriggerSpec } from './emulator-api';
import { bodyText, type StoredMessage } from './message';

/**
 * The InvocationRequest pieces the Functions host (Service Bus extension 5.x) sends the Node worker:
 * the trigger value as RPC TypedData and the binding data as triggerMetadata under the extension's
 * .NET names (the worker lower-cases first letters). Batches use the `...Array` names.
 */

/** What the extension's ServiceBusMessageDecoder looks for between the lock token and the AMQP bytes. */
const LOCK_TOKEN_MARKER = Buffer.from('x-opt-lock-token');

export function buildDelivery(
  spec: ServiceBusTriggerSpec,
  messages: StoredMessage[],
  now: number,
): ServiceBusDelivery {
  const many = spec.cardinality === 'many';
  const first = messages[0];
  if (!first) throw new Error('a delivery needs at least one message');
  const triggerData = spec.sdkBinding
    ? modelBindingTriggerData(messages, many)
    : many
      ? bodiesTriggerData(messages)
      : bodyTriggerData(first);
  const metadata = many ? batchMetadata(messages) : singleMetadata(first);
  metadata.sys = json({
    MethodName: spec.functionName,
    UtcNow: new Date(now).toISOString(),
    RandGuid: randomUUID(),
  });
  return { triggerData, triggerMetadata: metadata };
}

/** The `modelBindingData` content: lock token (Guid bytes) + marker + the message's AMQP encoding. */
export function modelBindingContent(message: StoredMessage): Buffer {
  const token = message.lock?.token;
  if (!token) throw new Error(`message ${message.messageId} is not locked`);
  return Buffer.concat([lockTokenBytes(token), LOCK_TOKEN_MARKER, encodeRheaMessage(message)]);
}

function modelBindingTriggerData(messages: StoredMessage[], many: boolean): RpcTypedDataLike {
  const data = messages.map((m) => ({
    version: '1.0',
    source: 'AzureServiceBusReceivedMessage',
    contentType: 'application/octet-stream',
    content: modelBindingContent(m),
  }));
  return many ? { collectionModelBindingData: { modelBindingData: data } } : { modelBindingData: data[0] };
}

function bodyTriggerData(message: StoredMessage): RpcTypedDataLike {
  const text = bodyText(message.body);
  if (text === undefined)
    return { bytes: message.body.section === 'data' ? message.body.bytes : Buffer.alloc(0) };
  return isJson(text) ? { json: text } : { string: text };
}

function bodiesTriggerData(messages: StoredMessage[]): RpcTypedDataLike {
  const texts = messages.map((m) => bodyText(m.body));
  if (texts.every((t): t is string => t !== undefined)) return { collectionString: { string: texts } };
  return {
    collectionBytes: {
      bytes: messages.map((m) =>
        m.body.section === 'data' ? m.body.bytes : Buffer.from(bodyText(m.body) ?? ''),
      ),
    },
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const json = (value: unknown): RpcTypedDataLike => ({ json: JSON.stringify(value) });
const iso = (ms: number) =>
  Number.isFinite(ms) ? new Date(ms).toISOString() : '9999-12-31T23:59:59.9999999Z';

function properties(message: StoredMessage): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(message.applicationProperties).map(([k, v]) => [
      k,
      v instanceof Date ? v.toISOString() : v,
    ]),
  );
}

/** Per-message binding data, by the extension's names; undefined values are left out. */
function fields(m: StoredMessage) {
  return {
    strings: {
      LockToken: m.lock?.token,
      MessageId: m.messageId,
      ContentType: m.contentType,
      CorrelationId: m.correlationId,
      Subject: m.subject,
      Label: m.subject,
      SessionId: m.sessionId,
      PartitionKey: m.partitionKey,
      DeadLetterSource: m.deadLetter?.source,
      To: m.to,
      ReplyTo: m.replyTo,
      ReplyToSessionId: m.replyToSessionId,
    },
    numbers: { DeliveryCount: m.deliveryCount, SequenceNumber: m.sequenceNumber },
    objects: {
      EnqueuedTimeUtc: iso(m.enqueuedAt),
      ExpiresAtUtc: iso(m.expiresAt),
      ApplicationProperties: properties(m),
      UserProperties: properties(m),
    },
  };
}

function singleMetadata(message: StoredMessage): Record<string, RpcTypedDataLike> {
  const { strings, numbers, objects } = fields(message);
  const out: Record<string, RpcTypedDataLike> = {};
  for (const [k, v] of Object.entries(strings)) if (v !== undefined) out[k] = { string: v };
  for (const [k, v] of Object.entries(numbers)) out[k] = { int: v };
  for (const [k, v] of Object.entries(objects)) out[k] = json(v);
  return out;
}

function batchMetadata(messages: StoredMessage[]): Record<string, RpcTypedDataLike> {
  const all = messages.map(fields);
  const out: Record<string, RpcTypedDataLike> = {};
  const column = <K extends 'strings' | 'numbers' | 'objects'>(group: K, key: string) =>
    all.map((f) => (f[group] as Record<string, unknown>)[key]);
  for (const key of Object.keys(all[0]?.strings ?? {})) {
    const values = column('strings', key);
    if (values.every((v) => v === undefined)) continue;
    out[`${key}Array`] = values.every((v): v is string => typeof v === 'string')
      ? { collectionString: { string: values } }
      : json(values.map((v) => v ?? null));
  }
  for (const key of Object.keys(all[0]?.numbers ?? {})) {
    out[`${key}Array`] = { collectionSint64: { sint64: column('numbers', key) } };
  }
  for (const key of Object.keys(all[0]?.objects ?? {})) out[`${key}Array`] = json(column('objects', key));
  return out;
}
