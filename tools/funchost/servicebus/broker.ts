import type { MessagingTopology } from '../../../src/lib/messaging/topology';
import type { Clock, TimerHandle } from '../clock';
import { sendTargets, type SendTarget } from './entities';
import { entityNotFound, lockLost, sessionIdMissing } from './errors';
import { encodeBody, newMessageId, type MessageBody, type SendMessage, type StoredMessage } from './message';
import { MessageStore } from './message-store';
import type { Journal } from './persistence/journal';
import {
  RecordKeys,
  messageFromRecord,
  parseKey,
  scheduledFromRecord,
  scheduledRecord,
} from './persistence/records';
import type { FilterSubject } from './sql-filter';

/** What a send did: the sequence number each destination gave the message, or nothing (a duplicate). */
export type SendResult =
  | { outcome: 'enqueued'; messageId: string; destinations: { path: string; sequenceNumber: number }[] }
  | { outcome: 'scheduled'; messageId: string; sequenceNumber: number }
  | { outcome: 'duplicate'; messageId: string };

/** A message to send whose body is already an AMQP body section (what arrives over AMQP). */
export type EncodedSendMessage = Omit<SendMessage, 'body'> & { body: MessageBody };

const DEAD_LETTER_SUFFIX = '/$deadletterqueue';

/**
 * The namespace: routes sends to queues and topic subscriptions, drops duplicates inside the
 * detection window, numbers messages, and finds stores by path (case-insensitive, as Service Bus is).
 */
export class Broker {
  #targets = new Map<string, SendTarget>();
  #stores = new Map<string, MessageStore>();
  #sequence = new Map<string, number>();
  #seenMessageIds = new Map<string, Map<string, number>>();
  #scheduled = new Set<TimerHandle>();

  constructor(
    topology: MessagingTopology,
    private readonly clock: Clock,
    private readonly journal?: Journal,
  ) {
    for (const target of sendTargets(topology)) {
      this.#targets.set(target.name.toLowerCase(), target);
      for (const { settings } of target.destinations) {
        this.#stores.set(settings.path.toLowerCase(), new MessageStore(settings, clock, false, journal));
      }
    }
  }

  /** Resolves once every change so far is persisted (at once without persistence). */
  persisted(): Promise<void> {
    return this.journal?.persisted() ?? Promise.resolve();
  }

  /**
   * Loads what a stopped broker persisted: messages (locks it held lapse now), scheduled messages,
   * sequence counters and the duplicate-detection history. Returns how many messages came back.
   */
  async restore(): Promise<number> {
    if (!this.journal) return 0;
    const records = await this.journal.loadAll();
    const locked: Array<() => void> = [];
    let restored = 0;
    this.journal.muted = true;
    try {
      for (const [key, json] of records) {
        const parsed = parseKey(key);
        if (!parsed) continue;
        const target = this.#targets.get(parsed.entity);
        if (parsed.kind === 'sequence') this.#sequence.set(target?.name ?? parsed.entity, Number(json));
        else if (parsed.kind === 'seenMessageId' && target) {
          const seen = this.#seenMessageIds.get(target.name) ?? new Map<string, number>();
          this.#seenMessageIds.set(target.name, seen.set(parsed.rest, Number(json)));
        } else if (parsed.kind === 'scheduled' && target) {
          this.#schedule(target, scheduledFromRecord(json));
        } else if (parsed.kind === 'message') {
          const { message, locked: wasLocked } = messageFromRecord(json);
          const store = this.#storeOrUndefined(parsed.entity);
          if (!store) continue; // an entity the topology no longer has
          restored += 1;
          if (wasLocked) locked.push(() => store.restore(message, true));
          else store.restore(message, false);
        }
      }
    } finally {
      this.journal.muted = false;
    }
    for (const release of locked) release();
    return restored;
  }

  send(entityName: string, message: SendMessage): SendResult {
    return this.sendEncoded(entityName, { ...message, body: encodeBody(message.body) });
  }

  sendEncoded(entityName: string, message: EncodedSendMessage): SendResult {
    const target = this.#targets.get(entityName.toLowerCase());
    if (!target) throw entityNotFound(entityName);
    if (message.sessionId === undefined && target.destinations.some((d) => d.settings.requiresSession)) {
      throw sessionIdMissing(target.name);
    }
    const messageId = message.messageId ?? newMessageId();
    if (this.#isDuplicate(target, messageId)) return { outcome: 'duplicate', messageId };
    const sequenceNumber = this.#nextSequence(target.name);
    const scheduledAt = message.scheduledEnqueueTimeUtc?.getTime();
    if (scheduledAt !== undefined && scheduledAt > this.clock.now()) {
      const record = { message, messageId, sequenceNumber, scheduledAt };
      this.journal?.put(RecordKeys.scheduled(target.name, sequenceNumber), scheduledRecord(record));
      this.#schedule(target, record);
      return { outcome: 'scheduled', messageId, sequenceNumber };
    }
    return {
      outcome: 'enqueued',
      messageId,
      destinations: this.#enqueue(target, message, messageId, sequenceNumber),
    };
  }

  /** The store at a path: `queue`, `topic/Subscriptions/sub`, either with `/$deadletterqueue`. */
  store(path: string): MessageStore {
    const lower = path.toLowerCase();
    const dead = lower.endsWith(DEAD_LETTER_SUFFIX);
    const store = this.#stores.get(dead ? lower.slice(0, -DEAD_LETTER_SUFFIX.length) : lower);
    const found = dead ? store?.deadLetterQueue : store;
    if (!found) throw entityNotFound(path);
    return found;
  }

  #storeOrUndefined(path: string): MessageStore | undefined {
    try {
      return this.store(path);
    } catch {
      return undefined;
    }
  }

  /** The queue, subscription or dead-letter queue where `token` locks a message; MessageLockLost if none. */
  storeHoldingLock(token: string): MessageStore {
    for (const store of this.#stores.values()) {
      for (const candidate of [store, store.deadLetterQueue])
        if (candidate?.holdsLock(token)) return candidate;
    }
    throw lockLost();
  }

  stores(): MessageStore[] {
    return [...this.#stores.values()];
  }

  isSendTarget(name: string): boolean {
    return this.#targets.has(name.toLowerCase());
  }

  reset(): void {
    for (const timer of this.#scheduled) timer.cancel();
    this.#scheduled.clear();
    for (const store of this.#stores.values()) store.reset();
    this.#sequence.clear();
    this.#seenMessageIds.clear();
  }

  #schedule(
    target: SendTarget,
    { message, messageId, sequenceNumber, scheduledAt }: ReturnType<typeof scheduledFromRecord>,
  ): void {
    const timer = this.clock.schedule(scheduledAt - this.clock.now(), () => {
      this.#scheduled.delete(timer);
      this.#enqueue(target, message, messageId, sequenceNumber);
      this.journal?.delete(RecordKeys.scheduled(target.name, sequenceNumber));
    });
    this.#scheduled.add(timer);
  }

  #enqueue(target: SendTarget, message: EncodedSendMessage, messageId: string, sequenceNumber: number) {
    const now = this.clock.now();
    const ttl = Math.min(message.timeToLiveMs ?? Number.POSITIVE_INFINITY, target.defaultTimeToLiveMs);
    const subject = filterSubject(message, messageId, sequenceNumber, now);
    const enqueued: { path: string; sequenceNumber: number }[] = [];
    for (const { settings, filter } of target.destinations) {
      if (!filter(subject)) continue;
      const { scheduledEnqueueTimeUtc: _scheduled, timeToLiveMs: _ttl, ...fields } = message;
      const stored: StoredMessage = {
        ...fields,
        messageId,
        sequenceNumber,
        applicationProperties: { ...message.applicationProperties },
        timeToLiveMs: ttl,
        enqueuedAt: now,
        expiresAt: now + ttl,
        deliveryCount: 0,
        state: 'active',
      };
      this.store(settings.path).add(stored);
      enqueued.push({ path: settings.path, sequenceNumber });
    }
    return enqueued;
  }

  #isDuplicate(target: SendTarget, messageId: string): boolean {
    const window = target.duplicateDetectionWindowMs;
    if (window === undefined) return false;
    const seen = this.#seenMessageIds.get(target.name) ?? new Map<string, number>();
    this.#seenMessageIds.set(target.name, seen);
    const now = this.clock.now();
    const at = seen.get(messageId);
    if (at !== undefined && now - at < window) return true;
    seen.set(messageId, now);
    this.journal?.put(RecordKeys.seenMessageId(target.name, messageId), now);
    return false;
  }

  #nextSequence(name: string): number {
    const next = (this.#sequence.get(name) ?? 0) + 1;
    this.#sequence.set(name, next);
    this.journal?.put(RecordKeys.sequence(name), next);
    return next;
  }
}

/** System properties by the names SQL filters use (sys.Label, sys.MessageId, ...). */
function filterSubject(
  message: EncodedSendMessage,
  messageId: string,
  seq: number,
  now: number,
): FilterSubject {
  const system: Record<string, unknown> = {
    messageid: messageId,
    correlationid: message.correlationId,
    to: message.to,
    replyto: message.replyTo,
    label: message.subject,
    subject: message.subject,
    sessionid: message.sessionId,
    replytosessionid: message.replyToSessionId,
    contenttype: message.contentType,
    sequencenumber: seq,
    enqueuedtimeutc: new Date(now).toISOString(),
    partitionkey: message.partitionKey,
  };
  return {
    system: (name) => system[name.toLowerCase()],
    user: (name) => {
      const value = message.applicationProperties?.[name];
      return value instanceof Date ? value.toISOString() : value;
    },
  };
}
