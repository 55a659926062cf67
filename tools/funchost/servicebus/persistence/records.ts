import type { EncodedSendMessage } from '../broker';
import type { ApplicationPropertyValue, MessageBody, StoredMessage } from '../message';

/**
 * How broker state is written as records (key -> JSON): bodies as base64, dates tagged, locks left
 * out (a restarted broker holds no locks; `locked` says one was held, so the lapse can be counted).
 */
export const RecordKeys = {
  message: (path: string, sequenceNumber: number) => `m|${path.toLowerCase()}|${sequenceNumber}`,
  scheduled: (target: string, sequenceNumber: number) => `s|${target.toLowerCase()}|${sequenceNumber}`,
  sequence: (target: string) => `q|${target.toLowerCase()}`,
  seenMessageId: (target: string, messageId: string) => `d|${target.toLowerCase()}|${messageId}`,
};

export type RecordKind = 'message' | 'scheduled' | 'sequence' | 'seenMessageId';

/** Splits a key into its kind and parts (the message id may itself contain '|'). */
export function parseKey(key: string): { kind: RecordKind; entity: string; rest: string } | undefined {
  const [tag, entity, ...rest] = key.split('|');
  const kind = ({ m: 'message', s: 'scheduled', q: 'sequence', d: 'seenMessageId' } as const)[tag ?? ''];
  return kind && entity !== undefined ? { kind, entity, rest: rest.join('|') } : undefined;
}

function encodeValue(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.getTime() };
  if (Buffer.isBuffer(value)) return { $bytes: value.toString('base64') };
  return value;
}

function decodeValue(value: unknown): unknown {
  if (value && typeof value === 'object') {
    const tagged = value as Partial<Record<'$date' | '$bytes', unknown>>;
    if (typeof tagged.$date === 'number') return new Date(tagged.$date);
    if (typeof tagged.$bytes === 'string') return Buffer.from(tagged.$bytes, 'base64');
  }
  return value;
}

const mapValues = <T>(record: Record<string, T> | undefined, fn: (v: T) => unknown) =>
  Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, fn(v)]));

function encodeBody(body: MessageBody): unknown {
  return body.section === 'data'
    ? { section: 'data', base64: body.bytes.toString('base64') }
    : { section: 'value', value: encodeValue(body.value) };
}

function decodeBody(body: { section: string; base64?: string; value?: unknown }): MessageBody {
  return body.section === 'data'
    ? { section: 'data', bytes: Buffer.from(body.base64 ?? '', 'base64') }
    : { section: 'value', value: decodeValue(body.value) };
}

export function messageRecord(message: StoredMessage) {
  const { lock, body, applicationProperties, ...rest } = message;
  return {
    ...rest,
    expiresAt: Number.isFinite(rest.expiresAt) ? rest.expiresAt : null,
    timeToLiveMs: Number.isFinite(rest.timeToLiveMs) ? rest.timeToLiveMs : null,
    body: encodeBody(body),
    applicationProperties: mapValues(applicationProperties, encodeValue),
    locked: lock !== undefined,
  };
}

export function messageFromRecord(json: string): { message: StoredMessage; locked: boolean } {
  const record = JSON.parse(json) as ReturnType<typeof messageRecord> & { body: { section: string } };
  const { locked, body, applicationProperties, expiresAt, timeToLiveMs, ...rest } = record;
  return {
    locked,
    message: {
      ...rest,
      expiresAt: expiresAt ?? Number.POSITIVE_INFINITY,
      timeToLiveMs: timeToLiveMs ?? Number.POSITIVE_INFINITY,
      body: decodeBody(body),
      applicationProperties: mapValues(applicationProperties, decodeValue) as Record<
        string,
        ApplicationPropertyValue
      >,
    },
  };
}

export interface ScheduledRecord {
  message: EncodedSendMessage;
  messageId: string;
  sequenceNumber: number;
  scheduledAt: number;
}

export function scheduledRecord(record: ScheduledRecord) {
  const { message } = record;
  return {
    ...record,
    message: {
      ...message,
      scheduledEnqueueTimeUtc: undefined,
      body: encodeBody(message.body),
      applicationProperties: mapValues(message.applicationProperties, encodeValue),
    },
  };
}

export function scheduledFromRecord(json: string): ScheduledRecord {
  const record = JSON.parse(json) as ReturnType<typeof scheduledRecord> & {
    message: { body: { section: string } };
  };
  return {
    ...record,
    message: {
      ...record.message,
      body: decodeBody(record.message.body),
      applicationProperties: mapValues(record.message.applicationProperties, decodeValue) as Record<
        string,
        ApplicationPropertyValue
      >,
    },
  };
}
