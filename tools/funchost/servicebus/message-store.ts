import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../clock';
import type { ReceivableSettings } from './entities';
import { lockLost } from './errors';
import { snapshot, type ApplicationPropertyValue, type DeadLetterInfo, type StoredMessage } from './message';
import type { Journal } from './persistence/journal';
import { RecordKeys, messageRecord } from './persistence/records';

export const MAX_DELIVERY_REASON = 'MaxDeliveryCountExceeded';
export const TTL_EXPIRED_REASON = 'TTLExpiredException';

type Properties = Record<string, ApplicationPropertyValue>;

/**
 * One queue or subscription (or its dead-letter sub-queue): the peek-lock rules of Service Bus.
 * Receiving locks a message for lockDuration and counts a delivery; complete removes it; abandon or lock
 * expiry makes it available again, or dead-letters it once its deliveries reach maxDeliveryCount; an
 * unlocked message past its expiry is dead-lettered (deadLetteringOnMessageExpiration) or dropped.
 */
export class MessageStore {
  readonly path: string;
  readonly deadLetterQueue: MessageStore | undefined;
  /** In sequence order; scans stop at the first match they need (1,000s of messages wait here under load). */
  #messages: StoredMessage[] = [];
  /** Locked messages by lock token. */
  #byToken = new Map<string, StoredMessage>();
  /** No unlocked message expires before this (a sweep before it would find nothing). */
  #earliestExpiry = Infinity;
  #lockTimers = new Map<string, TimerHandle>();
  #expiryTimers = new Map<StoredMessage, TimerHandle>();
  #listeners = new Set<() => void>();
  /** Sessions a receiver holds (a trigger or an AMQP session receiver): one holder at a time. */
  #lockedSessions = new Set<string>();
  #sessionState = new Map<string, Buffer>();

  constructor(
    readonly settings: ReceivableSettings,
    private readonly clock: Clock,
    readonly isDeadLetterQueue = false,
    private readonly journal?: Journal,
  ) {
    this.path = isDeadLetterQueue ? `${settings.path}/$deadletterqueue` : settings.path;
    this.deadLetterQueue = isDeadLetterQueue ? undefined : new MessageStore(settings, clock, true, journal);
  }

  /**
   * Puts back a message a stopped broker had persisted. One it had locked is released as a lapsed
   * lock is (its delivery counted; dead-lettered if that was the last one).
   */
  restore(message: StoredMessage, locked: boolean): void {
    this.add(message);
    if (locked) {
      message.lock = { token: '', lockedUntil: 0 };
      this.#release(message);
    }
  }

  /** Called whenever a message may have become receivable. */
  onAvailable(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  add(message: StoredMessage): void {
    // Sequence numbers grow, so a new message almost always goes last; restored ones may not.
    const at = this.#insertionPoint(message.sequenceNumber);
    if (at === this.#messages.length) this.#messages.push(message);
    else this.#messages.splice(at, 0, message);
    if (message.lock) this.#byToken.set(message.lock.token, message);
    this.#earliestExpiry = Math.min(this.#earliestExpiry, message.expiresAt);
    this.#persist(message);
    // The dead-letter queue keeps messages until someone removes them: nothing expires there.
    if (!this.isDeadLetterQueue && Number.isFinite(message.expiresAt)) {
      this.#expiryTimers.set(
        message,
        this.clock.schedule(message.expiresAt - this.clock.now(), () => this.#expireIfDue(message)),
      );
    }
    this.#notify();
  }

  /** Messages a receiver could lock now, in sequence order; `sessionId` narrows to one session. */
  available(sessionId?: string, maxCount = Infinity): StoredMessage[] {
    this.#sweepExpired();
    const found: StoredMessage[] = [];
    for (const m of this.#messages) {
      if (found.length >= maxCount) break;
      if (!m.lock && m.state === 'active' && (sessionId === undefined || m.sessionId === sessionId)) {
        found.push(m);
      }
    }
    return found;
  }

  /** Whether a receiver could lock a message now (of a session nobody holds, for session entities). */
  hasAvailable(): boolean {
    if (this.settings.requiresSession) return this.#sessions(1).length > 0;
    return this.available(undefined, 1).length > 0;
  }

  /** Sessions with receivable messages that nobody holds, ordered by their oldest message. */
  availableSessions(): string[] {
    return this.#sessions(Infinity);
  }

  #sessions(maxCount: number): string[] {
    this.#sweepExpired();
    const sessions = new Set<string>();
    for (const m of this.#messages) {
      if (sessions.size >= maxCount) break;
      if (m.lock || m.state !== 'active') continue;
      const session = m.sessionId ?? '';
      if (!this.#lockedSessions.has(session)) sessions.add(session);
    }
    return [...sessions];
  }

  /**
   * Locks a session for one receiver: the one asked for (even with no messages yet), or the next one
   * with messages. Undefined when it is held by someone else, or when no session has messages.
   */
  lockSession(sessionId?: string): string | undefined {
    const session = sessionId ?? this.#sessions(1)[0];
    if (session === undefined || this.#lockedSessions.has(session)) return undefined;
    this.#lockedSessions.add(session);
    return session;
  }

  releaseSession(sessionId: string): void {
    if (this.#lockedSessions.delete(sessionId)) this.#notify();
  }

  sessionState(sessionId: string): Buffer | undefined {
    return this.#sessionState.get(sessionId);
  }

  setSessionState(sessionId: string, state: Buffer | undefined): void {
    if (state === undefined || state.length === 0) this.#sessionState.delete(sessionId);
    else this.#sessionState.set(sessionId, state);
  }

  receive(maxCount: number, sessionId?: string): StoredMessage[] {
    const taken = this.available(sessionId, maxCount);
    for (const message of taken) {
      message.deliveryCount++;
      this.#lock(message, randomUUID());
      this.#persist(message);
    }
    return taken;
  }

  /** Extends a held lock by lockDuration from now; returns the new lockedUntil. */
  renewLock(token: string): number {
    const message = this.#locked(token);
    this.#lock(message, token);
    return message.lock?.lockedUntil ?? this.clock.now();
  }

  holdsLock(token: string): boolean {
    const message = this.#byToken.get(token);
    return message?.lock?.token === token && message.lock.lockedUntil >= this.clock.now();
  }

  lockedMessage(token: string): StoredMessage {
    return this.#locked(token);
  }

  complete(token: string): void {
    this.#remove(this.#locked(token));
  }

  abandon(token: string, propertiesToModify?: Properties): void {
    const message = this.#locked(token);
    Object.assign(message.applicationProperties, propertiesToModify);
    this.#release(message);
  }

  defer(token: string, propertiesToModify?: Properties): void {
    const message = this.#locked(token);
    Object.assign(message.applicationProperties, propertiesToModify);
    this.#unlock(message);
    message.state = 'deferred';
    this.#persist(message);
  }

  deadLetter(token: string, info: DeadLetterInfo, propertiesToModify?: Properties): void {
    const message = this.#locked(token);
    Object.assign(message.applicationProperties, propertiesToModify);
    this.#moveToDeadLetter(message, info);
  }

  peek(fromSequenceNumber = 0, maxCount = Number.MAX_SAFE_INTEGER): StoredMessage[] {
    return this.#messages
      .filter((m) => m.sequenceNumber >= fromSequenceNumber)
      .slice(0, maxCount)
      .map(snapshot);
  }

  count(): number {
    return this.#messages.length;
  }

  reset(): void {
    for (const timer of [...this.#lockTimers.values(), ...this.#expiryTimers.values()]) timer.cancel();
    this.#lockTimers.clear();
    this.#expiryTimers.clear();
    this.#messages = [];
    this.#byToken.clear();
    this.#earliestExpiry = Infinity;
    this.#lockedSessions.clear();
    this.#sessionState.clear();
    this.deadLetterQueue?.reset();
  }

  #locked(token: string): StoredMessage {
    const message = this.#byToken.get(token);
    if (!message || message.lock?.token !== token || (message.lock?.lockedUntil ?? 0) < this.clock.now())
      throw lockLost();
    return message;
  }

  #lock(message: StoredMessage, token: string): void {
    this.#lockTimers.get(token)?.cancel();
    const lockedUntil = this.clock.now() + this.settings.lockDurationMs;
    message.lock = { token, lockedUntil };
    this.#byToken.set(token, message);
    this.#lockTimers.set(
      token,
      this.clock.schedule(this.settings.lockDurationMs, () => {
        if (message.lock?.token === token) this.#release(message);
      }),
    );
  }

  #unlock(message: StoredMessage): void {
    if (!message.lock) return;
    this.#lockTimers.get(message.lock.token)?.cancel();
    this.#lockTimers.delete(message.lock.token);
    this.#byToken.delete(message.lock.token);
    delete message.lock;
    // An unlocked message can expire again: the next sweep must not start after its expiry.
    this.#earliestExpiry = Math.min(this.#earliestExpiry, message.expiresAt);
  }

  /** The end of a delivery that did not settle it: abandon or lock expiry. */
  #release(message: StoredMessage): void {
    this.#unlock(message);
    this.#persist(message);
    if (!this.isDeadLetterQueue && message.deliveryCount >= this.settings.maxDeliveryCount) {
      this.#moveToDeadLetter(message, {
        reason: MAX_DELIVERY_REASON,
        description: `Message could not be consumed after ${message.deliveryCount} delivery attempts.`,
      });
      return;
    }
    if (!this.#expireIfDue(message)) this.#notify();
  }

  #moveToDeadLetter(message: StoredMessage, info: DeadLetterInfo): void {
    this.#remove(message);
    const dlq = this.deadLetterQueue;
    if (!dlq) return;
    const { reason, description } = info;
    message.deadLetter = { reason, description };
    message.state = 'active';
    if (reason !== undefined) message.applicationProperties.DeadLetterReason = reason;
    if (description !== undefined) message.applicationProperties.DeadLetterErrorDescription = description;
    dlq.add(message);
  }

  /** Expires an unlocked message whose time is up; a locked one is looked at again when released. */
  #expireIfDue(message: StoredMessage): boolean {
    if (message.lock || message.expiresAt > this.clock.now() || this.#indexOf(message) < 0) return false;
    if (this.settings.deadLetteringOnMessageExpiration) {
      this.#moveToDeadLetter(message, {
        reason: TTL_EXPIRED_REASON,
        description: 'The message expired and was dead lettered.',
      });
    } else this.#remove(message);
    return true;
  }

  #sweepExpired(): void {
    const now = this.clock.now();
    if (now < this.#earliestExpiry) return;
    for (const message of this.#messages.filter((m) => !m.lock && m.expiresAt <= now)) {
      this.#expireIfDue(message);
    }
    // Locked messages are looked at again when released; what is left sets the next sweep.
    this.#earliestExpiry = Infinity;
    for (const m of this.#messages)
      if (!m.lock) this.#earliestExpiry = Math.min(this.#earliestExpiry, m.expiresAt);
  }

  #remove(message: StoredMessage): void {
    this.#unlock(message);
    this.#expiryTimers.get(message)?.cancel();
    this.#expiryTimers.delete(message);
    const at = this.#indexOf(message);
    if (at >= 0) this.#messages.splice(at, 1);
    this.journal?.delete(RecordKeys.message(this.path, message.sequenceNumber));
  }

  /** Where a message with this sequence number goes: after every message with a lower or equal one. */
  #insertionPoint(sequenceNumber: number): number {
    const messages = this.#messages;
    if (messages.length === 0 || messages[messages.length - 1]!.sequenceNumber <= sequenceNumber) {
      return messages.length;
    }
    let low = 0;
    let high = messages.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (messages[mid]!.sequenceNumber <= sequenceNumber) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The message's position (a binary search by sequence number, then identity), or -1. */
  #indexOf(message: StoredMessage): number {
    const messages = this.#messages;
    let low = 0;
    let high = messages.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (messages[mid]!.sequenceNumber < message.sequenceNumber) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < messages.length && messages[i]!.sequenceNumber === message.sequenceNumber; i++) {
      if (messages[i] === message) return i;
    }
    return messages.indexOf(message);
  }

  #persist(message: StoredMessage): void {
    this.journal?.put(RecordKeys.message(this.path, message.sequenceNumber), messageRecord(message));
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
