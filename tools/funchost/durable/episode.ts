import type { RegisteredFunction } from '../core-api';
import { invoke } from '../invoker';
import { EventType, History, type HistoryEvent } from './history';
import { inputJson, playedHistoryJson } from './history-json';
import type { Instance } from './instance';
import {
  UNSUPPORTED_ACTIONS,
  openWork,
  decodeOnce,
  recordTrackedTasks,
  trackedIds,
  trackedWork,
  unreceivedEventCounts,
  type ExecutorLike,
  type ScheduledWork,
} from './open-tasks';

export interface EpisodeResult {
  /** History after the episode: replayed events, the new ones, the scheduling events, OrchestratorCompleted. */
  history: HistoryEvent[];
  newWork: ScheduledWork[];
  /** Every task the library gave an id during this replay (completed ones too), for the determinism check. */
  trackedWork: ScheduledWork[];
  /** Every id the library assigned, when the replay was observed from its start (else undefined). */
  trackedIds?: Set<number>;
  customStatus: unknown;
  done?: { output: unknown };
  /** The new generation's input and the raised events it inherits. */
  continueAsNew?: { input: unknown; carriedEvents: HistoryEvent[] };
  failed?: { message: string };
}

const OUT_OF_PROC_MARKER = '$OutOfProcData$:';

/**
 * One orchestrator episode: the full history (past events marked played, then OrchestratorStarted and
 * the new events) as trigger JSON goes through durable-functions' own orchestrator handler, which replays it; the
 * host only reads what the library decided.
 */
export async function runEpisode(
  fn: RegisteredFunction,
  instance: Instance,
  events: HistoryEvent[],
  now: number,
): Promise<EpisodeResult> {
  // The history as the Functions host sends it: past events marked played (their JSON is kept per
  // instance and extended, see history-json.ts), then OrchestratorStarted and the new events.
  const fresh = [History.orchestratorStarted(now), ...events];
  const history = [...instance.history, ...fresh];
  const played = playedHistoryJson(instance);
  const freshJson = fresh.map((e) => JSON.stringify(e)).join(',');
  const input = inputJson(instance);
  const rest = JSON.stringify({
    instanceId: instance.instanceId,
    isReplaying: instance.history.length > 0,
    parentInstanceId: instance.parent?.instanceId ?? '',
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 2,
    longRunningTimerIntervalDuration: '3.00:00:00',
    maximumShortTimerDuration: '6.00:00:00',
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  });
  const json =
    `{"history":[${played === '' ? freshJson : `${played},${freshJson}`}],` +
    `${input === undefined ? '' : `"input":${input},`}${rest.slice(1)}`;
  const outcome = await invoke(fn, { triggerData: { json } });
  const executor = (outcome.context.df as { taskOrchestratorExecutor?: ExecutorLike } | undefined)
    ?.taskOrchestratorExecutor;
  const observed = executor ? recordTrackedTasks(executor) : false;
  const base = {
    history,
    customStatus: undefined as unknown,
    newWork: [] as ScheduledWork[],
    trackedWork: executor ? trackedWork(executor, now) : [],
    trackedIds: executor && observed ? trackedIds(executor) : undefined,
  };

  if (outcome.error !== undefined) {
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    const marker = message.indexOf(OUT_OF_PROC_MARKER);
    const state =
      marker >= 0
        ? (JSON.parse(message.slice(marker + OUT_OF_PROC_MARKER.length)) as OrchestratorState)
        : undefined;
    const reason = state?.error ?? message;
    return {
      ...base,
      customStatus: state?.customStatus,
      failed: { message: `Orchestrator function '${instance.name}' failed: ${reason}` },
    };
  }
  const state = outcome.result as OrchestratorState;
  const result: EpisodeResult = { ...base, customStatus: state.customStatus };
  const actions = flatten(state.actions);
  // Fire-and-forget actions (signalEntity) take no open task, so they are checked here too.
  const unsupported = actions.find((a) => UNSUPPORTED_ACTIONS[a.actionType]);
  if (unsupported) {
    const kind = UNSUPPORTED_ACTIONS[unsupported.actionType]!;
    return { ...result, failed: { message: `The local host does not support the ${kind} action` } };
  }
  if (state.isDone) {
    const continueAsNew = actions.find((a) => a.actionType === 4);
    if (continueAsNew) {
      const carriedEvents = executor ? unreceivedEvents(history, unreceivedEventCounts(executor)) : [];
      return { ...result, continueAsNew: { input: decodeOnce(continueAsNew.input), carriedEvents } };
    }
    return { ...result, done: { output: state.output } };
  }
  try {
    result.newWork = executor ? openWork(executor, now) : [];
  } catch (error) {
    // An open task the host cannot run (CallHttp, entities): the instance fails with this episode's
    // history kept, so showHistory shows what led there.
    return { ...result, failed: { message: error instanceof Error ? error.message : String(error) } };
  }
  return result;
}

interface OrchestratorState {
  isDone: boolean;
  actions: unknown;
  output: unknown;
  error?: string;
  customStatus?: unknown;
}

interface ActionJson {
  actionType: number;
  input?: unknown;
  compoundActions?: ActionJson[];
}

function flatten(actions: unknown): ActionJson[] {
  const out: ActionJson[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const action = value as ActionJson;
      out.push(action);
      action.compoundActions?.forEach(walk);
    }
  };
  walk(actions);
  return out;
}

/** The newest `count` EventRaised events of each name, in history order, as fresh inbox events. */
function unreceivedEvents(history: HistoryEvent[], counts: Map<string, number>): HistoryEvent[] {
  const remaining = new Map(counts);
  const carried: HistoryEvent[] = [];
  for (const event of [...history].reverse()) {
    const name = event.Name as string;
    if (event.EventType !== EventType.EventRaised || !remaining.get(name)) continue;
    remaining.set(name, remaining.get(name)! - 1);
    carried.unshift({ ...event, IsPlayed: false });
  }
  return carried;
}
