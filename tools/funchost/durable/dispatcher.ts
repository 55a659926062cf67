import type { Clock, TimerHandle } from '../clock';
import type { RegisteredFunction } from '../core-api';
import { invoke, type RpcTypedData } from '../invoker';
import type { CpuSlices } from './cpu-slices';
import { History, type HistoryEvent } from './history';

type ActivityWork = { id: number; name: string; input: unknown; inputJson?: string | null };

export interface DispatcherOptions {
  functions: () => Map<string, RegisteredFunction>;
  /** Values of other input bindings (e.g. the durable client an activity declares), by binding type. */
  inputsByType?: () => Record<string, RpcTypedData>;
  clock: Clock;
  /** host.json extensions.durableTask.maxConcurrentActivityFunctions */
  maxConcurrentActivities: number;
  /** Activities start in the replays' CPU slices (each holds them until it waits for I/O). */
  slices?: CpuSlices;
  /** Hands a result event to its instance's inbox. */
  deliver: (instanceId: string, event: HistoryEvent) => void;
}

/**
 * Runs what orchestrations schedule: activities through their registered handlers (at most
 * maxConcurrentActivities at a time, as the host's activity queue does) and durable timers on the
 * host clock. close() drops everything still pending, as a stopped process would.
 */
export class Dispatcher {
  readonly #timers = new Set<TimerHandle>();
  readonly #queue: Array<() => void> = [];
  #slots: number;
  #running = 0;
  #closed = false;

  constructor(private readonly options: DispatcherOptions) {
    this.#slots = options.maxConcurrentActivities;
  }

  /** Activities running or waiting for a slot. */
  get busy(): number {
    return this.#running + this.#queue.length;
  }

  timer(instanceId: string, id: number, fireAt: number): void {
    const { clock } = this.options;
    const fire = () => {
      this.#timers.delete(handle);
      if (!this.#closed) this.options.deliver(instanceId, History.timerFired(clock.now(), id, fireAt));
    };
    // A timer already due fires now, whatever the clock (a virtual clock only moves when told to).
    const handle: TimerHandle =
      fireAt <= clock.now()
        ? (() => {
            const immediate = setImmediate(fire);
            return { cancel: () => clearImmediate(immediate) };
          })()
        : clock.schedule(fireAt - clock.now(), fire);
    this.#timers.add(handle);
  }

  activity(instanceId: string, work: ActivityWork): void {
    const start = () => {
      this.#slots -= 1;
      this.#running += 1;
      void this.#run(instanceId, work).finally(() => {
        this.#running -= 1;
        this.#slots += 1;
        if (!this.#closed) this.#queue.shift()?.();
      });
    };
    if (this.#slots > 0) start();
    else this.#queue.push(start);
  }

  async #run(instanceId: string, work: ActivityWork): Promise<void> {
    const { clock } = this.options;
    let event: HistoryEvent;
    try {
      const fn = this.options.functions().get(work.name);
      if (!fn) throw new Error(`No activity function named '${work.name}' is registered`);
      const call = () =>
        invoke(fn, {
          triggerData: { json: work.inputJson ?? JSON.stringify(work.input ?? null) },
          inputsByType: this.options.inputsByType?.(),
        });
      const outcome = await (this.options.slices ? this.options.slices.start(call) : call());
      event =
        outcome.error === undefined
          ? History.taskCompleted(clock.now(), work.id, outcome.result)
          : History.taskFailed(clock.now(), work.id, work.name, toError(outcome.error));
    } catch (error) {
      event = History.taskFailed(clock.now(), work.id, work.name, toError(error));
    }
    // A result that comes back after the host stopped is lost, as it would be in a crashed process.
    if (!this.#closed) this.options.deliver(instanceId, event);
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) timer.cancel();
    this.#timers.clear();
    this.#queue.length = 0;
  }
}

function toError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}
