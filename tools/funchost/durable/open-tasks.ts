/**
 * What an episode asks of the host, read from durable-functions' own executor: after the library
 * replays the history, its open tasks carry the sequence ids it assigned. Reading them (instead of
 * re-deriving the numbering) keeps the host's ids equal to the library's, including retry timers and
 * re-attempts, which the library tracks as placeholder tasks under a RetryableTask.
 */
export type ScheduledWork =
  | {
      kind: 'activity';
      id: number;
      name: string;
      input: unknown;
      /** The input's JSON, made once when the activity is scheduled (its history event and its dispatch share it). */
      inputJson?: string | null;
    }
  | { kind: 'timer'; id: number; fireAt: number; retry?: boolean }
  | { kind: 'subOrchestration'; id: number; name: string; instanceId?: string; input: unknown };

interface RetryOptionsLike {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
}

interface ActionLike {
  actionType: number;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  fireAt?: Date | string;
  retryOptions?: RetryOptionsLike;
}

interface TaskLike {
  id: number | string | false;
  actionObj?: ActionLike;
  parent?: TaskLike & { retryOptions?: RetryOptionsLike; isWaitingOnTimer?: boolean; attemptNumber?: number };
}

export interface ExecutorLike {
  openTasks: Record<string, TaskLike>;
  trackOpenTask?: (task: TaskLike) => void;
  [TRACKED]?: Map<number, TaskLike>;
}

const TRACKED = Symbol.for('tripgen.funchost.tracked-tasks');
const PATCHED = Symbol.for('tripgen.funchost.patched');

/**
 * Lets the host see every task the library numbers in a replay, not only the ones still open at the
 * end, by wrapping the executor's trackOpenTask on its class (once per loaded copy of the library;
 * the wrapper only records, then calls the original). `execute` is wrapped too, to give each run its
 * own record from its first step: a run has a record only if the wrappers were in place when it
 * started. A copy is first seen after its first run, and a restarted host replays many instances at
 * once, so runs that started before the patch finish after it; they are not observed (returns false).
 */
export function recordTrackedTasks(executor: ExecutorLike): boolean {
  const proto = Object.getPrototypeOf(executor) as Record<symbol, boolean> & {
    trackOpenTask: (task: TaskLike) => void;
    execute: (...args: unknown[]) => unknown;
  };
  if (!proto[PATCHED]) {
    const originalTrack = proto.trackOpenTask;
    proto.trackOpenTask = function (this: ExecutorLike, task: TaskLike) {
      originalTrack.call(this, task);
      if (typeof task.id === 'number' && !(task as { children?: unknown }).children) {
        this[TRACKED]?.set(task.id, task);
      }
    };
    const originalExecute = proto.execute;
    proto.execute = function (this: ExecutorLike, ...args: unknown[]) {
      this[TRACKED] = new Map();
      return originalExecute.apply(this, args);
    };
    proto[PATCHED] = true;
  }
  return executor[TRACKED] !== undefined;
}

/** Every sequence id the library assigned in this replay (retry placeholders included). */
export function trackedIds(executor: ExecutorLike): Set<number> {
  return new Set(executor[TRACKED]?.keys() ?? []);
}

/**
 * Events the library received but no waitForExternalEvent took: it defers them by event name, oldest
 * first, so the newest `count` EventRaised events of each deferred name are the unreceived ones.
 */
export function unreceivedEventCounts(executor: ExecutorLike): Map<string, number> {
  const deferred = (executor as { deferredTasks?: Record<string, unknown[]> }).deferredTasks ?? {};
  const counts = new Map<string, number>();
  for (const [key, queue] of Object.entries(deferred)) {
    if (!/^\d+$/.test(key) && queue.length > 0) counts.set(key, queue.length);
  }
  return counts;
}

export function trackedWork(executor: ExecutorLike, now: number): ScheduledWork[] {
  const work: ScheduledWork[] = [];
  for (const task of executor[TRACKED]?.values() ?? []) {
    if (typeof task.actionObj !== 'object' || task.actionObj === null) continue; // retry placeholders
    const item = describe(task as TaskLike & { id: number }, now);
    if (item) work.push(item);
  }
  return work;
}

export class UnsupportedActionError extends Error {}

const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSub: 2,
  CallSubWithRetry: 3,
  CreateTimer: 5,
  Wait: 6,
};
export const UNSUPPORTED_ACTIONS: Record<number, string> = {
  7: 'CallEntity',
  8: 'CallHttp',
  9: 'SignalEntity',
  13: 'LockEntities',
  14: 'ReleaseEntities',
};

export function openWork(executor: ExecutorLike, now: number): ScheduledWork[] {
  const work: ScheduledWork[] = [];
  for (const task of Object.values(executor.openTasks)) {
    if (typeof task.id !== 'number') continue; // external-event waits are keyed by name and take no id
    const item = describe(task as TaskLike & { id: number }, now);
    if (item) work.push(item);
  }
  return work.sort((a, b) => a.id - b.id);
}

function describe(task: TaskLike & { id: number }, now: number): ScheduledWork | undefined {
  const parent = task.parent;
  // A placeholder (NoOpTask, whose action is the string "noOp") under a RetryableTask: the retry timer
  // or the next attempt.
  const placeholder = typeof task.actionObj !== 'object' || task.actionObj === null;
  if (placeholder && parent?.retryOptions && parent.actionObj) {
    if (parent.isWaitingOnTimer) {
      const attempt = (parent.attemptNumber ?? 2) - 2; // 0-based index of the failed attempt
      const options = parent.retryOptions;
      // After the last failure the library still waits on one timer before it rethrows. The Durable
      // Task framework's retry interceptor sleeps the full back-off after every failed attempt, the
      // last included, so the failure surfaces only after that wait (transientRetry gives up after
      // the sum of all its delays, in Azure as here).
      const delay = retryDelay(options, attempt);
      return { kind: 'timer', id: task.id, fireAt: now + delay, retry: true };
    }
    return fromAction(task.id, parent.actionObj);
  }
  if (placeholder) return undefined;
  return fromAction(task.id, task.actionObj!);
}

function fromAction(id: number, action: ActionLike): ScheduledWork | undefined {
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return { kind: 'activity', id, name: action.functionName!, input: decodeOnce(action.input) };
    case ActionType.CallSub:
    case ActionType.CallSubWithRetry:
      return {
        kind: 'subOrchestration',
        id,
        name: action.functionName!,
        instanceId: action.instanceId,
        input: action.input,
      };
    case ActionType.CreateTimer:
      return { kind: 'timer', id, fireAt: new Date(action.fireAt!).getTime() };
    case ActionType.Wait:
      return undefined;
    default:
      throw new UnsupportedActionError(
        `The local host does not support the ${UNSUPPORTED_ACTIONS[action.actionType] ?? `action type ${action.actionType}`} action`,
      );
  }
}

/** Delay after failed attempt i (0-based) = min(first · coefficient^i, maxRetryInterval). */
export function retryDelay(options: RetryOptionsLike, attempt: number): number {
  const raw = options.firstRetryIntervalInMilliseconds * (options.backoffCoefficient ?? 1) ** attempt;
  return Math.min(raw, options.maxRetryIntervalInMilliseconds || 6 * 24 * 3600_000);
}

/** Activity and continueAsNew inputs that are strings arrive JSON-encoded twice (the extension decodes once). */
export function decodeOnce(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}
