import type { Clock } from '../clock';
import type { RegisteredFunction } from '../core-api';
import type { RpcTypedData } from '../invoker';
import { Dispatcher } from './dispatcher';
import { runEpisode } from './episode';
import { History, jsonOrNull, type HistoryEvent } from './history';
import { forgetHistoryJson } from './history-json';
import { TERMINAL, statusJson, type Instance, type RuntimeStatus } from './instance';
import { CpuSlices } from './cpu-slices';
import { checkDeterminism } from './determinism';
import type { ScheduledWork } from './open-tasks';
import { unfinishedWork } from './recovery';
import { WriteBehind, type InstanceStore } from './store';

export interface BackendOptions {
  functions: () => Map<string, RegisteredFunction>;
  clock: Clock;
  /** host.json extensions.durableTask.maxConcurrentActivityFunctions */
  maxConcurrentActivities?: number;
  /** Keeps instance state across host restarts (Redis or files); without it state lives in memory. */
  store?: InstanceStore;
  log?: (message: string) => void;
  /** Values of other input bindings (the durable client) for activities that declare them. */
  activityInputs?: () => Record<string, RpcTypedData>;
  /**
   * Finished instances are purged this long after they finish (0 or absent: kept until purged), so a
   * long-running host's memory stays flat. Azure keeps history until purged by the app; this is the
   * local host's stand-in for the periodic purge an app would schedule.
   */
  retainFinishedMs?: number;
}

/** New events one episode takes at most (DTFx's work-item batches are bounded the same way). */
const MAX_EVENTS_PER_EPISODE = 100;

export class DurableError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 410 | 412,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Durable Task backend: instances, their histories, an inbox of new events per instance (one episode
 * at a time per instance, the inbox event leaves only when its episode is committed), activities and
 * timers through the Dispatcher, snapshots through an optional store. Replay itself is
 * durable-functions' (see episode.ts).
 */
export class DurableBackend {
  readonly #instances = new Map<string, Instance>();
  readonly #busy = new Set<string>();
  readonly #waiters = new Set<() => void>();
  readonly #dispatcher: Dispatcher;
  readonly #persist: WriteBehind | undefined;
  #closed = false;
  readonly #log: (message: string) => void;
  readonly #retentionTimers = new Set<NodeJS.Timeout>();
  /** Replays run one at a time, in slices of CPU time between which I/O is served. */
  readonly #slices = new CpuSlices();

  constructor(private readonly options: BackendOptions) {
    this.#dispatcher = new Dispatcher({
      slices: this.#slices,
      functions: options.functions,
      clock: options.clock,
      maxConcurrentActivities: options.maxConcurrentActivities ?? 10,
      deliver: (id, event) => this.#deliver(id, event),
      inputsByType: options.activityInputs,
    });
    const log = options.log ?? ((m: string) => console.error(m));
    this.#log = log;
    this.#persist = options.store && new WriteBehind(options.store, (id) => this.#instances.get(id), log);
  }

  startNew(
    name: string,
    options: { instanceId: string; input?: unknown; parent?: Instance['parent'] },
  ): Instance {
    this.#orchestrator(name);
    const existing = this.#instances.get(options.instanceId);
    if (existing && !TERMINAL.includes(existing.runtimeStatus)) {
      throw new DurableError(
        409,
        `An instance with ID '${options.instanceId}' already exists and is ${existing.runtimeStatus}`,
      );
    }
    const now = this.options.clock.now();
    const instance: Instance = {
      instanceId: options.instanceId,
      name,
      input: options.input,
      runtimeStatus: 'Pending',
      customStatus: null,
      output: null,
      createdTime: new Date(now).toISOString(),
      lastUpdatedTime: new Date(now).toISOString(),
      history: [],
      scheduled: {},
      inbox: [History.executionStarted(now, name, options.input)],
      parent: options.parent,
    };
    this.#instances.set(instance.instanceId, instance);
    this.#changed(instance);
    this.#pump(instance);
    return instance;
  }

  get(instanceId: string): Instance | undefined {
    return this.#instances.get(instanceId);
  }

  list(): Instance[] {
    return [...this.#instances.values()];
  }

  status(instanceId: string, withHistory = false) {
    const instance = this.#instances.get(instanceId);
    return instance ? statusJson(instance, withHistory) : undefined;
  }

  raiseEvent(instanceId: string, eventName: string, data: unknown): void {
    const instance = this.#mustBeActive(instanceId);
    instance.inbox.push(History.eventRaised(this.options.clock.now(), eventName, data));
    this.#changed(instance);
    this.#pump(instance);
  }

  terminate(instanceId: string, reason: string): void {
    const instance = this.#mustBeActive(instanceId);
    instance.history.push(History.executionTerminated(this.options.clock.now(), reason));
    this.#finish(instance, 'Terminated', reason);
  }

  suspend(instanceId: string, reason: string): void {
    const instance = this.#mustBeActive(instanceId);
    if (instance.runtimeStatus === 'Suspended') return;
    instance.history.push(History.executionSuspended(this.options.clock.now(), reason));
    this.#setStatus(instance, 'Suspended');
  }

  resume(instanceId: string, reason: string): void {
    const instance = this.#mustBeActive(instanceId);
    if (instance.runtimeStatus !== 'Suspended') return;
    instance.history.push(History.executionResumed(this.options.clock.now(), reason));
    this.#setStatus(instance, 'Running');
    this.#pump(instance);
  }

  /**
   * Deletes a finished instance's state. A running one is refused, as Azure refuses it
   * (HttpApiHandler.cs: 412 "Only orchestrations in a terminal state can be purged"), instead of
   * silently stopping it.
   */
  purge(instanceId: string): number {
    const instance = this.#instances.get(instanceId);
    if (!instance) return 0;
    if (!TERMINAL.includes(instance.runtimeStatus)) {
      throw new DurableError(
        412,
        `Only orchestrations in a terminal state can be purged, but the orchestration with instance ID ` +
          `${instanceId} has status ${instance.runtimeStatus}`,
      );
    }
    this.#instances.delete(instanceId);
    this.#persist?.removed(instanceId);
    return 1;
  }

  /**
   * Purge by filter (DELETE /instances?createdTimeFrom=...): finished instances created in
   * [from, to] whose status is one of `statuses` (any finished status when empty). Running ones are
   * never purged by a filter, as in DTFx (it purges terminal instances only).
   */
  purgeWhere(filter: { createdFrom: number; createdTo: number; statuses?: readonly string[] }): number {
    let deleted = 0;
    for (const instance of this.list()) {
      const created = Date.parse(instance.createdTime);
      if (created < filter.createdFrom || created > filter.createdTo) continue;
      if (!TERMINAL.includes(instance.runtimeStatus)) continue;
      if (filter.statuses?.length && !filter.statuses.includes(instance.runtimeStatus)) continue;
      deleted += this.purge(instance.instanceId);
    }
    return deleted;
  }

  /** Resolves when `predicate` holds for the instance (checked after every change), or rejects on timeout. */
  waitFor(
    instanceId: string,
    predicate: (instance: Instance) => boolean,
    timeoutMs = 10_000,
  ): Promise<Instance> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const instance = this.#instances.get(instanceId);
        if (instance && predicate(instance)) {
          this.#waiters.delete(check);
          clearTimeout(timer);
          resolve(instance);
        }
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        const s = this.#instances.get(instanceId)?.runtimeStatus ?? 'unknown';
        reject(
          new Error(
            `Instance ${instanceId} did not reach the expected state in ${timeoutMs} ms (it is ${s})`,
          ),
        );
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  /** Resolves when no episode or activity is running or queued (timers may still be pending). */
  async whenIdle(): Promise<void> {
    while (this.#dispatcher.busy > 0 || this.#busy.size > 0) await new Promise((r) => setTimeout(r, 2));
  }

  /** Resolves once every change made so far is written to the store (at once without one). */
  flush(): Promise<void> {
    return this.#persist?.flush() ?? Promise.resolve();
  }

  /**
   * Loads the stored instances and picks up where the previous host stopped: pending inboxes run,
   * scheduled activities run again, timers are set again, finished children report to their parents.
   */
  async restore(): Promise<number> {
    if (!this.options.store) return 0;
    const stored = await this.options.store.loadAll();
    for (const instance of stored) this.#instances.set(instance.instanceId, instance);
    for (const instance of stored) {
      if (TERMINAL.includes(instance.runtimeStatus)) {
        this.#retain(instance);
        continue;
      }
      for (const work of unfinishedWork(instance)) this.#resumeWork(instance, work);
      this.#pump(instance);
    }
    return stored.filter((i) => !TERMINAL.includes(i.runtimeStatus)).length;
  }

  /** Forgets every instance, in memory and in the store. */
  async reset(): Promise<void> {
    this.#instances.clear();
    await this.flush();
    await this.options.store?.clear();
  }

  /**
   * Stops as a killed process would, after the last snapshot is written: timers are cancelled and
   * results of activities still running are dropped (a restarted host runs those activities again).
   */
  async close(): Promise<void> {
    for (const timer of this.#retentionTimers) clearTimeout(timer);
    this.#retentionTimers.clear();
    this.#dispatcher.close();
    await this.flush();
    this.#closed = true;
  }

  #orchestrator(name: string): RegisteredFunction {
    const fn = this.options.functions().get(name);
    if (!fn || !Object.values(fn.metadata.bindings).some((b) => b.type === 'orchestrationTrigger')) {
      throw new DurableError(400, `No orchestrator function named '${name}' is registered`);
    }
    return fn;
  }

  #mustBeActive(instanceId: string): Instance {
    const instance = this.#instances.get(instanceId);
    if (!instance) throw new DurableError(404, `No instance with ID '${instanceId}'`);
    if (TERMINAL.includes(instance.runtimeStatus)) {
      throw new DurableError(410, `Instance '${instanceId}' is ${instance.runtimeStatus}`);
    }
    return instance;
  }

  #pump(instance: Instance): void {
    if (this.#closed || this.#busy.has(instance.instanceId)) return;
    this.#busy.add(instance.instanceId);
    void this.#drain(instance).finally(() => {
      this.#busy.delete(instance.instanceId);
      // An event or a resume may have arrived while this drain was finishing (after its loop saw
      // nothing runnable, before this callback): without a second look it would sit in the inbox.
      if (this.#runnable(instance)) this.#pump(instance);
      this.#notify();
    });
  }

  async #drain(instance: Instance): Promise<void> {
    while (this.#runnable(instance)) {
      // Every event waiting goes into one episode, as DTFx hands an orchestration all its pending
      // messages at once: a fan-in of N results is one replay, not N (each replay parses the whole history).
      await this.#episode(instance);
    }
  }

  #runnable(instance: Instance): boolean {
    return (
      !this.#closed &&
      instance.inbox.length > 0 &&
      instance.runtimeStatus !== 'Suspended' &&
      !TERMINAL.includes(instance.runtimeStatus) &&
      this.#instances.get(instance.instanceId) === instance
    );
  }

  async #episode(instance: Instance): Promise<void> {
    const fn = this.#orchestrator(instance.name);
    // The events and the episode's time are taken when its turn comes: what arrived while it waited
    // joins it, and OrchestratorStarted (the orchestrator's currentUtcDateTime) is the time it runs.
    // Suspended, terminated, purged or closed while it waited: it does not run (the drain stops).
    let now = this.options.clock.now();
    let events: HistoryEvent[] = [];
    const result = await this.#slices
      .run(async () => {
        if (!this.#runnable(instance)) return undefined;
        now = this.options.clock.now();
        events = instance.inbox.slice(0, MAX_EVENTS_PER_EPISODE);
        return runEpisode(fn, instance, events, now);
      })
      .catch((error: unknown) => ({ thrown: error instanceof Error ? error.message : String(error) }));
    if (result === undefined) return;
    if (this.#closed) return; // the snapshot keeps the events in the inbox: the next host replays them
    instance.inbox.splice(0, events.length);
    // Terminated while the episode ran: its decisions are void.
    if (TERMINAL.includes(instance.runtimeStatus)) return;
    if (instance.runtimeStatus === 'Pending') instance.runtimeStatus = 'Running';
    if ('thrown' in result) {
      // The episode's events stay in the history, as DTFx keeps the episode that failed.
      instance.history = [...instance.history, History.orchestratorStarted(now), ...events];
      return this.#finish(instance, 'Failed', result.thrown);
    }

    const mismatch = checkDeterminism(instance, result);
    if (mismatch) {
      instance.history = result.history;
      return this.#finish(instance, 'Failed', mismatch);
    }
    const scheduling: HistoryEvent[] = [];
    const toDispatch: ScheduledWork[] = [];
    for (const work of result.newWork) {
      if (instance.scheduled[work.id]) continue;
      instance.scheduled[work.id] = { kind: work.kind, name: work.kind === 'timer' ? 'timer' : work.name };
      scheduling.push(this.#schedulingEvent(instance, work, now));
      toDispatch.push(work);
    }
    instance.history = [...result.history, ...scheduling, History.orchestratorCompleted(now)];
    instance.customStatus = result.customStatus ?? instance.customStatus;
    if (result.failed) return this.#finish(instance, 'Failed', result.failed.message);
    if (result.done) return this.#finish(instance, 'Completed', result.done.output);
    if (result.continueAsNew) {
      instance.history = [];
      instance.scheduled = {};
      instance.input = result.continueAsNew.input;
      // Events raised but not yet received, and those not yet processed, carry over to the new generation.
      instance.inbox.unshift(
        History.executionStarted(now, instance.name, instance.input),
        ...result.continueAsNew.carriedEvents,
      );
      return this.#setStatus(instance, 'Running');
    }
    this.#setStatus(instance, instance.runtimeStatus === 'Suspended' ? 'Suspended' : 'Running');
    // As the Durable Task framework commits an episode before its messages go out: work runs only
    // once the history that schedules it is persisted (a crash in between replays the episode).
    if (toDispatch.length > 0) await this.flush().catch(() => undefined);
    if (this.#closed) return;
    for (const work of toDispatch) this.#resumeWork(instance, work);
  }

  #schedulingEvent(instance: Instance, work: ScheduledWork, now: number): HistoryEvent {
    if (work.kind === 'activity') {
      work.inputJson = jsonOrNull(work.input);
      return History.taskScheduled(now, work.id, work.name, work.input, work.inputJson);
    }
    if (work.kind === 'timer') return History.timerCreated(now, work.id, work.fireAt);
    return History.subOrchestrationCreated(now, work.id, work.name, childId(instance, work), work.input);
  }

  /** Starts (or, after a restart, re-starts) one piece of scheduled work. */
  #resumeWork(instance: Instance, work: ScheduledWork): void {
    if (work.kind === 'timer') return this.#dispatcher.timer(instance.instanceId, work.id, work.fireAt);
    if (work.kind === 'activity') return this.#dispatcher.activity(instance.instanceId, work);
    const id = childId(instance, work);
    const child = this.#instances.get(id);
    if (child?.parent?.instanceId === instance.instanceId && child.parent.scheduledId === work.id) {
      // Restored: a running child reports when it finishes; a finished one reports now.
      if (TERMINAL.includes(child.runtimeStatus)) this.#reportToParent(child);
      return;
    }
    try {
      this.startNew(work.name, {
        instanceId: id,
        input: work.input,
        parent: { instanceId: instance.instanceId, scheduledId: work.id },
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const now = this.options.clock.now();
      this.#deliver(instance.instanceId, History.subOrchestrationFailed(now, work.id, work.name, message));
    }
  }

  #deliver(instanceId: string, event: HistoryEvent): void {
    const instance = this.#instances.get(instanceId);
    if (this.#closed || !instance || TERMINAL.includes(instance.runtimeStatus)) return;
    instance.inbox.push(event);
    this.#changed(instance);
    this.#pump(instance);
  }

  #finish(instance: Instance, status: RuntimeStatus, output: unknown): void {
    instance.output = output;
    forgetHistoryJson(instance);
    const now = this.options.clock.now();
    // DTFx ends every execution's history with ExecutionCompleted (status and result); showHistory shows it.
    instance.history.push(History.executionCompleted(now, status, output));
    // The Functions host logs a failed orchestration with its reason; so does this one.
    if (status === 'Failed')
      this.#log(`Orchestration '${instance.name}' (${instance.instanceId}) failed: ${String(output)}`);
    this.#setStatus(instance, status);
    this.#reportToParent(instance);
    this.#retain(instance);
  }

  /** Schedules a finished instance's purge after the retention period (when one is set). */
  #retain(instance: Instance): void {
    const retainMs = this.options.retainFinishedMs ?? 0;
    if (retainMs <= 0 || this.#closed) return;
    const due = Date.parse(instance.lastUpdatedTime) + retainMs - this.options.clock.now();
    const timer = setTimeout(
      () => {
        this.#retentionTimers.delete(timer);
        // Only the same finished instance: its id may have been started again since.
        if (
          this.#instances.get(instance.instanceId) === instance &&
          TERMINAL.includes(instance.runtimeStatus)
        )
          this.purge(instance.instanceId);
      },
      Math.max(0, due),
    );
    timer.unref();
    this.#retentionTimers.add(timer);
  }

  #reportToParent(instance: Instance): void {
    const parent = instance.parent;
    if (!parent) return;
    const now = this.options.clock.now();
    const output = instance.output;
    this.#deliver(
      parent.instanceId,
      instance.runtimeStatus === 'Completed'
        ? History.subOrchestrationCompleted(now, parent.scheduledId, output)
        : History.subOrchestrationFailed(now, parent.scheduledId, instance.name, String(output)),
    );
  }

  #setStatus(instance: Instance, status: RuntimeStatus): void {
    instance.runtimeStatus = status;
    instance.lastUpdatedTime = new Date(this.options.clock.now()).toISOString();
    this.#changed(instance);
  }

  #changed(instance: Instance): void {
    if (this.#closed) return;
    this.#persist?.changed(instance.instanceId);
    this.#notify();
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

/** A sub-orchestration without an explicit instance id gets one derived from its parent and task id. */
function childId(instance: Instance, work: Extract<ScheduledWork, { kind: 'subOrchestration' }>): string {
  return work.instanceId ?? `${instance.instanceId}:${work.id}`;
}
