import { CronExpressionParser } from 'cron-parser';
import type { Clock, TimerHandle } from './clock';
import type { RegisteredFunction } from './core-api';
import { triggerBinding, type InvocationOutcome, type RpcTypedData } from './invoker';

/** The Functions host's first-run "last" value: .NET's DateTime.MinValue. */
const NEVER = '0001-01-01T00:00:00';

interface TimerEntry {
  fn: RegisteredFunction;
  schedule: Schedule;
  runOnStartup: boolean;
  last?: number;
  handle?: TimerHandle;
}

interface Schedule {
  /** The first occurrence strictly after `after`. */
  next(after: number): number;
}

/**
 * Timer triggers: every schedule is parsed when the app loads (NCRONTAB with six fields, seconds
 * first, or a TimeSpan "hh:mm:ss" interval; "%Setting%" names an app setting), so a bad one stops
 * the host at start-up as it stops the Functions host. In dev mode the timers fire on the host clock;
 * tests fire them on demand with fire().
 */
export class TimerTriggers {
  readonly #entries = new Map<string, TimerEntry>();
  #stopped = false;

  constructor(
    functions: Iterable<RegisteredFunction>,
    private readonly clock: Clock,
    private readonly run: (fn: RegisteredFunction, triggerData: RpcTypedData) => Promise<InvocationOutcome>,
    private readonly log: (message: string) => void = () => {},
  ) {
    for (const fn of functions) {
      const trigger = triggerBinding(fn);
      if (trigger.type !== 'timerTrigger') continue;
      const binding = fn.metadata.bindings[trigger.name]!;
      this.#entries.set(fn.metadata.name, {
        fn,
        schedule: parseSchedule(fn.metadata.name, String(binding.schedule ?? '')),
        runOnStartup: binding.runOnStartup === true,
      });
    }
  }

  get names(): string[] {
    return [...this.#entries.keys()];
  }

  /** When the named timer fires next on its schedule. */
  nextOccurrence(name: string): Date {
    return new Date(this.#entry(name).schedule.next(this.clock.now()));
  }

  /**
   * Starts firing every timer on its schedule (dev mode), runOnStartup ones once at once; disabled
   * ones are left off the schedule (they still run when fired on demand, as with Azure's master key).
   */
  start(disabled: ReadonlySet<string> = new Set()): void {
    for (const entry of this.#entries.values()) {
      if (disabled.has(entry.fn.metadata.name)) continue;
      if (entry.runOnStartup) void this.#fire(entry, false);
      this.#arm(entry);
    }
  }

  /** Fires a timer now, as the host does when its schedule comes due (or, isPastDue, late). */
  fire(name: string, options: { isPastDue?: boolean } = {}): Promise<InvocationOutcome> {
    return this.#fire(this.#entry(name), options.isPastDue ?? false);
  }

  stop(): void {
    this.#stopped = true;
    for (const entry of this.#entries.values()) entry.handle?.cancel();
  }

  #entry(name: string): TimerEntry {
    const entry = this.#entries.get(name);
    if (!entry) throw new Error(`No timer-triggered function named '${name}' is registered`);
    return entry;
  }

  #arm(entry: TimerEntry): void {
    if (this.#stopped) return;
    const now = this.clock.now();
    entry.handle = this.clock.schedule(entry.schedule.next(now) - now, () => {
      void this.#fire(entry, false).finally(() => this.#arm(entry));
    });
  }

  async #fire(entry: TimerEntry, isPastDue: boolean): Promise<InvocationOutcome> {
    const now = this.clock.now();
    // The host sends TimerInfo in .NET casing; @azure/functions camel-cases it for the handler.
    const timerInfo = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: {
        Last: entry.last === undefined ? NEVER : new Date(entry.last).toISOString(),
        Next: new Date(entry.schedule.next(now)).toISOString(),
        LastUpdated: new Date(now).toISOString(),
      },
      IsPastDue: isPastDue,
    };
    entry.last = now;
    const outcome = await this.run(entry.fn, { json: JSON.stringify(timerInfo) });
    if (outcome.error !== undefined) {
      const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      this.log(`Executed '${entry.fn.metadata.name}' (Failed): ${message}`);
    }
    return outcome;
  }
}

/** Parses a timer schedule or throws naming the function, as the host refuses to start. */
export function parseSchedule(functionName: string, raw: string, env = process.env): Schedule {
  const setting = /^%(.+)%$/.exec(raw.trim());
  const text = setting ? (env[setting[1]!] ?? '') : raw.trim();
  const fail = (why: string) =>
    new Error(`The schedule '${raw}' of timer function '${functionName}' is invalid: ${why}`);
  const span = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  if (span) {
    const [, days, h, m, s] = span;
    const interval = (((Number(days ?? 0) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s)) * 1000;
    if (interval <= 0) throw fail('a TimeSpan schedule must be longer than zero');
    return { next: (after) => after + interval };
  }
  const fields = text.split(/\s+/).filter(Boolean);
  if (fields.length !== 6) {
    throw fail(
      `NCRONTAB needs six fields ({second} {minute} {hour} {day} {month} {day-of-week}), found ${fields.length}`,
    );
  }
  try {
    CronExpressionParser.parse(text, { tz: 'UTC' });
  } catch (error) {
    throw fail(error instanceof Error ? error.message : String(error));
  }
  return {
    next: (after) =>
      CronExpressionParser.parse(text, { tz: 'UTC', currentDate: new Date(after) })
        .next()
        .getTime(),
  };
}
