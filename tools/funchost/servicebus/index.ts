import type { MessagingTopology } from '../../../src/lib/messaging/topology';
import type { Clock } from '../clock';
import { Broker, type SendResult } from './broker';
import { startManagementServer } from './management-http';
import type { InvokeTrigger, ServiceBusHostSettings, ServiceBusTriggerSpec } from './emulator-api';
import { subscriptionPath } from './entities';
import type { SendMessage, StoredMessage } from './message';
import { startAmqpServer, type AmqpListener } from './amqp/server';
import { startSettlementServer, type SettlementServer } from './settlement-server';
import { TriggerRunner, type SettlementEvent } from './trigger-runner';
import { Journal, type RecordStore } from './persistence/journal';

export type { SendMessage, StoredMessage } from './message';
export type { SendResult } from './broker';
export type { SettlementEvent } from './trigger-runner';
export { ServiceBusEmulatorError } from './errors';
export * from './emulator-api';

export interface ServiceBusEmulatorOptions {
  topology: MessagingTopology;
  settings: ServiceBusHostSettings;
  clock: Clock;
  /**
   * Keeps messages (queues, subscriptions, dead-letter queues, scheduled), sequence numbers and the
   * duplicate-detection history across restarts; sends and settlements are acknowledged once written.
   */
  persistence?: RecordStore;
}

/**
 * The local host's Service Bus: the app's queues, topics and subscriptions (from its topology) with
 * Service Bus's broker rules, its triggers run as the Functions host runs them, an AMQP 1.0 endpoint
 * for the @azure/service-bus client, and the Settlement gRPC service of the sdkBinding extension.
 */
export class ServiceBusEmulator {
  readonly broker: Broker;
  /** Every settlement the trigger runners made, in order (for logs and tests). */
  readonly settlements: SettlementEvent[] = [];
  #runners = new Set<TriggerRunner>();
  #idleWaiters: (() => void)[] = [];
  #idleCheckQueued = false;
  #amqp: AmqpListener[] = [];
  #management?: Promise<{ url: string; close(): Promise<void> }>;
  #settlementServer: SettlementServer | undefined;
  readonly #journal: Journal | undefined;

  constructor(private readonly options: ServiceBusEmulatorOptions) {
    this.#journal = options.persistence && new Journal(options.persistence);
    this.broker = new Broker(options.topology, options.clock, this.#journal);
  }

  /** Loads the persisted messages (call before triggers attach); returns how many came back. */
  restore(): Promise<number> {
    return this.broker.restore();
  }

  /** Resolves once every change so far is persisted. */
  persisted(): Promise<void> {
    return this.broker.persisted();
  }

  /** Sends to a queue or topic; throws MessagingEntityNotFound or a missing-SessionId error like Service Bus. */
  send(entityName: string, message: SendMessage): SendResult {
    return this.broker.send(entityName, message);
  }

  attachTrigger(spec: ServiceBusTriggerSpec, invoke: InvokeTrigger): () => void {
    const runner = new TriggerRunner(
      this.broker.store(triggerPath(spec)),
      spec,
      invoke,
      this.options.settings,
      this.options.clock,
      (event) => this.settlements.push(event),
      () => this.#queueIdleCheck(),
    );
    this.#runners.add(runner);
    return () => {
      runner.close();
      this.#runners.delete(runner);
      this.#queueIdleCheck();
    };
  }

  /** Messages (active, locked or deferred) in an entity: `queue`, `topic/Subscriptions/sub`, `.../$deadletterqueue`. */
  peek(entityPath: string): StoredMessage[] {
    return this.broker.store(entityPath).peek();
  }

  /** The dead-letter queue of a queue or subscription (deadLetter.reason / description on each). */
  deadLetters(entityPath: string): StoredMessage[] {
    const path = entityPath.toLowerCase().endsWith('/$deadletterqueue')
      ? entityPath
      : `${entityPath}/$deadletterqueue`;
    return this.broker.store(path).peek();
  }

  /**
   * Resolves once no trigger is running a function and no attached trigger has a message it could take
   * now. Messages waiting for a lock to lapse or a scheduled time are not waited for: advance the clock.
   */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.#idleWaiters.push(resolve);
      this.#queueIdleCheck();
    });
  }

  /** Empties every entity, its dead-letter queue, the duplicate history and the sequence numbers (and the persisted copy). */
  async reset(): Promise<void> {
    this.broker.reset();
    this.settlements.length = 0;
    await this.#journal?.clear();
  }

  async listenAmqp(options: { port?: number } = {}): Promise<AmqpListener> {
    const listener = await startAmqpServer(this.broker, this.options.clock, options.port ?? 0);
    this.#amqp.push(listener);
    return listener;
  }

  /** The Atom management endpoint's queue runtime properties (what the administration client reads). */
  async listenManagement(): Promise<{ url: string }> {
    this.#management ??= startManagementServer(this.broker, () => new Date(this.options.clock.now()));
    return this.#management;
  }

  /** Starts the Settlement gRPC service @azure/functions-extensions-servicebus calls (once). */
  async startSettlement(): Promise<{ host: string; port: number }> {
    this.#settlementServer ??= await startSettlementServer(this.broker);
    return this.#settlementServer.address;
  }

  settlementEndpoint(): { host: string; port: number } | undefined {
    return this.#settlementServer?.address;
  }

  async close(): Promise<void> {
    for (const runner of this.#runners) runner.close();
    this.#runners.clear();
    await Promise.all(this.#amqp.map((listener) => listener.close()));
    this.#amqp = [];
    await (await this.#management)?.close();
    this.#management = undefined;
    await this.#settlementServer?.close();
    this.#settlementServer = undefined;
    await this.#journal?.close();
    this.broker.reset();
    this.#resolveIdle();
  }

  #queueIdleCheck(): void {
    if (this.#idleCheckQueued || this.#idleWaiters.length === 0) return;
    this.#idleCheckQueued = true;
    // After the runners' queued pumps: a message just sent is picked up before idleness is judged.
    setImmediate(() => {
      this.#idleCheckQueued = false;
      if ([...this.#runners].every((runner) => !runner.isBusy())) this.#resolveIdle();
    });
  }

  #resolveIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function triggerPath(spec: ServiceBusTriggerSpec): string {
  if (spec.queueName) return spec.queueName;
  if (spec.topicName && spec.subscriptionName) return subscriptionPath(spec.topicName, spec.subscriptionName);
  throw new Error(`Trigger "${spec.functionName}" names neither a queue nor a topic and subscription`);
}
