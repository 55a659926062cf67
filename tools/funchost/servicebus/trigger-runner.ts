import type { Clock, TimerHandle } from '../clock';
import type { InvokeTrigger, ServiceBusHostSettings, ServiceBusTriggerSpec } from './emulator-api';
import { ServiceBusEmulatorError } from './errors';
import type { StoredMessage } from './message';
import type { MessageStore } from './message-store';
import { buildDelivery } from './trigger-data';

/** What the runner did with an invocation's messages, for logs and tests. */
export interface SettlementEvent {
  functionName: string;
  action: 'complete' | 'abandon' | 'left-locked' | 'lock-lost';
  messageId: string;
  deliveryCount: number;
}

/**
 * One attached serviceBusTrigger, run the way the Functions host's Service Bus listener does:
 * up to maxConcurrentCalls invocations (one message each), or one batch of up to maxMessageBatchSize at a
 * time for cardinality 'many'; on session entities up to maxConcurrentSessions sessions, each handing out
 * one delivery at a time in order. Locks are auto-renewed while the function runs, up to
 * maxAutoLockRenewalDuration; then success completes (autoCompleteMessages), a throw abandons, and an
 * sdkBinding function's unsettled message stays locked until its lock expires.
 */
export class TriggerRunner {
  #inFlight = 0;
  #heldSessions = new Set<string>();
  #closed = false;
  #pumpQueued = false;
  #unsubscribe: () => void;

  constructor(
    private readonly store: MessageStore,
    private readonly spec: ServiceBusTriggerSpec,
    private readonly invoke: InvokeTrigger,
    private readonly settings: ServiceBusHostSettings,
    private readonly clock: Clock,
    private readonly onEvent: (event: SettlementEvent) => void,
    private readonly onStateChange: () => void,
  ) {
    this.#unsubscribe = store.onAvailable(() => this.#queuePump());
    this.#queuePump();
  }

  close(): void {
    this.#closed = true;
    this.#unsubscribe();
  }

  /** Running an invocation, or holding messages it could take right now. */
  isBusy(): boolean {
    if (this.#closed) return false;
    if (this.#inFlight > 0) return true;
    return this.store.hasAvailable();
  }

  #queuePump(): void {
    if (this.#pumpQueued) return;
    this.#pumpQueued = true;
    queueMicrotask(() => {
      this.#pumpQueued = false;
      this.#pump();
      this.onStateChange();
    });
  }

  get #batchSize(): number {
    return this.spec.cardinality === 'many' ? this.settings.maxMessageBatchSize : 1;
  }

  #pump(): void {
    if (this.#closed) return;
    if (this.store.settings.requiresSession) {
      while (this.#heldSessions.size < this.settings.maxConcurrentSessions) {
        const session = this.store.lockSession();
        if (session === undefined) return;
        this.#heldSessions.add(session);
        void this.#runSession(session);
      }
      return;
    }
    const limit = this.spec.cardinality === 'many' ? 1 : this.settings.maxConcurrentCalls;
    while (this.#inFlight < limit) {
      const messages = this.store.receive(this.#batchSize);
      if (messages.length === 0) return;
      void this.#run(messages);
    }
  }

  async #runSession(session: string): Promise<void> {
    while (!this.#closed) {
      const messages = this.store.receive(this.#batchSize, session);
      if (messages.length === 0) break;
      await this.#run(messages);
    }
    this.#heldSessions.delete(session);
    this.store.releaseSession(session);
    this.#queuePump();
  }

  async #run(messages: StoredMessage[]): Promise<void> {
    this.#inFlight++;
    const tokens = messages.map((m) => m.lock?.token ?? '');
    const renewals = tokens.map((token) => this.#autoRenew(token));
    let failed = false;
    try {
      await this.invoke(buildDelivery(this.spec, messages, this.clock.now()));
    } catch {
      failed = true;
    }
    for (const renewal of renewals) renewal.cancel();
    messages.forEach((message, i) => this.#settle(message, tokens[i] ?? '', failed));
    this.#inFlight--;
    this.#queuePump();
  }

  #settle(message: StoredMessage, token: string, failed: boolean): void {
    const event = (action: SettlementEvent['action']) =>
      this.onEvent({
        functionName: this.spec.functionName,
        action,
        messageId: message.messageId,
        deliveryCount: message.deliveryCount,
      });
    if (message.lock?.token !== token) {
      // An sdkBinding function may have settled it through its actions; otherwise the lock lapsed
      // and the host's complete/abandon fails with MessageLockLost.
      if (this.spec.sdkBinding) return;
      return event('lock-lost');
    }
    const autoComplete = this.spec.autoCompleteMessages && !this.spec.sdkBinding;
    if (!failed && !autoComplete) return event('left-locked');
    try {
      if (failed) this.store.abandon(token);
      else this.store.complete(token);
      event(failed ? 'abandon' : 'complete');
    } catch (error) {
      if (!(error instanceof ServiceBusEmulatorError)) throw error;
      event('lock-lost');
    }
  }

  /** Renews a little before each expiry, as the processor does, until maxAutoLockRenewalDuration. */
  #autoRenew(token: string): TimerHandle {
    const lockMs = this.store.settings.lockDurationMs;
    const stopAt = this.clock.now() + this.settings.maxAutoLockRenewalDurationMs;
    const lead = Math.min(lockMs / 2, 10_000);
    let timer: TimerHandle | undefined;
    const schedule = (lockedUntil: number) => {
      timer = this.clock.schedule(lockedUntil - lead - this.clock.now(), () => {
        if (this.clock.now() >= stopAt) return;
        try {
          schedule(this.store.renewLock(token));
        } catch {
          // Settled or lost meanwhile: nothing left to renew.
        }
      });
    };
    try {
      schedule(this.store.lockedMessage(token).lock?.lockedUntil ?? this.clock.now());
    } catch {
      // Not locked any more (settled before renewal started).
    }
    return { cancel: () => timer?.cancel() };
  }
}
