import { EventType, type HistoryEvent } from '../durable/history';
import { statusJson, type Instance } from '../durable/instance';

/**
 * The query side of the Durable HTTP API as Azure answers it (HttpApiHandler.cs in
 * azure-functions-durable-extension; the Durable Functions "HTTP API reference"): list filters and
 * paging, and the documented `historyEvents` shape.
 */

/** `true`/`false` as .NET's bool.TryParse reads them (any case); anything else: the default. */
export function booleanParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = query.get(name)?.toLowerCase();
  return value === 'true' ? true : value === 'false' ? false : fallback;
}

/** A time filter, or undefined when absent or not a date (Azure ignores a malformed one the same way). */
export function timeParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

export function statusesParam(query: URLSearchParams): string[] {
  return (query.get('runtimeStatus') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface ListPage {
  items: ReturnType<typeof statusJson>[];
  /** The x-ms-continuation-token of the next page; undefined on the last one. */
  next?: string;
}

/**
 * GET /instances: runtimeStatus, instanceIdPrefix, createdTimeFrom/To, showInput (default true),
 * top (page size), and the x-ms-continuation-token request header for the next page. The token is
 * opaque to clients; here it is the position after the last instance returned, in a stable order.
 */
export function listInstances(
  instances: Instance[],
  query: URLSearchParams,
  continuationToken: string | undefined,
): ListPage {
  const statuses = statusesParam(query);
  const prefix = query.get('instanceIdPrefix') ?? '';
  const from = timeParam(query, 'createdTimeFrom');
  const to = timeParam(query, 'createdTimeTo');
  const showInput = booleanParam(query, 'showInput', true);
  const top = Number.parseInt(query.get('top') ?? '', 10);
  const matching = instances
    .filter((i) => statuses.length === 0 || statuses.includes(i.runtimeStatus))
    .filter((i) => i.instanceId.startsWith(prefix))
    .filter((i) => from === undefined || Date.parse(i.createdTime) >= from)
    .filter((i) => to === undefined || Date.parse(i.createdTime) <= to)
    .sort((a, b) => a.createdTime.localeCompare(b.createdTime) || a.instanceId.localeCompare(b.instanceId));
  const start = continuationToken ? decodeToken(continuationToken) : 0;
  const end = Number.isInteger(top) && top > 0 ? start + top : matching.length;
  const items = matching.slice(start, end).map((i) => ({
    ...statusJson(i),
    ...(showInput ? {} : { input: null }),
  }));
  return { items, ...(end < matching.length ? { next: encodeToken(end) } : {}) };
}

function encodeToken(position: number): string {
  return Buffer.from(JSON.stringify({ position })).toString('base64');
}

function decodeToken(token: string): number {
  try {
    const { position } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { position?: unknown };
    return typeof position === 'number' && Number.isInteger(position) && position >= 0 ? position : 0;
  } catch {
    return 0;
  }
}

/**
 * `historyEvents` as the HTTP API reference documents it: ExecutionStarted (FunctionName), one
 * TaskCompleted/TaskFailed per activity carrying its FunctionName and ScheduledTime (the scheduling
 * events themselves are folded in, as are orchestrator episode markers), sub-orchestrations alike,
 * TimerFired with FireAt, EventRaised with Name, ExecutionCompleted with OrchestrationStatus.
 * `Result` (and a raised event's data) only with showHistoryOutput=true.
 */
export function historyView(
  instance: Instance,
  options: { showHistoryOutput: boolean },
): Array<Record<string, unknown>> {
  const scheduled = new Map<number, HistoryEvent>();
  for (const e of instance.history) {
    if (e.EventType === EventType.TaskScheduled || e.EventType === EventType.SubOrchestrationInstanceCreated)
      scheduled.set(e.EventId, e);
  }
  const output = (value: unknown) => (options.showHistoryOutput ? { Result: parseJson(value) } : {});
  const view: Array<Record<string, unknown>> = [];
  for (const e of instance.history) {
    const at = { Timestamp: e.Timestamp };
    const origin = typeof e.TaskScheduledId === 'number' ? scheduled.get(e.TaskScheduledId) : undefined;
    const fromOrigin = origin ? { FunctionName: origin.Name, ScheduledTime: origin.Timestamp } : {};
    switch (e.EventType) {
      case EventType.ExecutionStarted:
        view.push({ EventType: 'ExecutionStarted', FunctionName: e.Name, ...at });
        break;
      case EventType.TaskCompleted:
        view.push({ EventType: 'TaskCompleted', ...fromOrigin, ...output(e.Result), ...at });
        break;
      case EventType.TaskFailed:
        view.push({ EventType: 'TaskFailed', ...fromOrigin, Reason: e.Reason, Details: e.Details, ...at });
        break;
      case EventType.SubOrchestrationInstanceCompleted:
        view.push({
          EventType: 'SubOrchestrationInstanceCompleted',
          ...fromOrigin,
          ...output(e.Result),
          ...at,
        });
        break;
      case EventType.SubOrchestrationInstanceFailed:
        view.push({ EventType: 'SubOrchestrationInstanceFailed', ...fromOrigin, Reason: e.Reason, ...at });
        break;
      case EventType.TimerFired:
        view.push({ EventType: 'TimerFired', FireAt: e.FireAt, ...at });
        break;
      case EventType.EventRaised:
        view.push({ EventType: 'EventRaised', Name: e.Name, ...output(e.Input), ...at });
        break;
      case EventType.ExecutionTerminated:
        view.push({ EventType: 'ExecutionTerminated', Reason: e.Input, ...at });
        break;
      case EventType.ExecutionSuspended:
      case EventType.ExecutionResumed:
        view.push({
          EventType: e.EventType === EventType.ExecutionSuspended ? 'ExecutionSuspended' : 'ExecutionResumed',
          Reason: e.Reason,
          ...at,
        });
        break;
      case EventType.ExecutionCompleted:
        view.push({
          EventType: 'ExecutionCompleted',
          OrchestrationStatus: e.OrchestrationStatus,
          ...output(e.Result),
          ...at,
        });
        break;
      default:
      // OrchestratorStarted/Completed, TaskScheduled, SubOrchestrationInstanceCreated, TimerCreated:
      // folded into the events above, as the extension's history conversion does.
    }
  }
  return view;
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
