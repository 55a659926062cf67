import { EventType, type HistoryEvent } from './history';
import type { Instance } from './instance';
import type { ScheduledWork } from './open-tasks';

/**
 * What a restarted host must pick up again for one instance: work its history says was scheduled
 * but whose result is neither in the history nor waiting in the inbox. Activities in this list run
 * again (at-least-once, as on the real host), timers are set again for their FireAt, and
 * sub-orchestrations are looked up by their instance id.
 */
export function unfinishedWork(instance: Instance): ScheduledWork[] {
  const settled = new Set<number>();
  for (const event of [...instance.history, ...instance.inbox]) {
    const id = resultFor(event);
    if (id !== undefined) settled.add(id);
  }
  const work: ScheduledWork[] = [];
  for (const event of instance.history) {
    if (settled.has(event.EventId)) continue;
    switch (event.EventType) {
      case EventType.TaskScheduled:
        work.push({
          kind: 'activity',
          id: event.EventId,
          name: String(event.Name),
          input: parseOrUndefined(event.Input),
          inputJson: typeof event.Input === 'string' ? event.Input : null,
        });
        break;
      case EventType.TimerCreated:
        work.push({ kind: 'timer', id: event.EventId, fireAt: Date.parse(String(event.FireAt)) });
        break;
      case EventType.SubOrchestrationInstanceCreated:
        work.push({
          kind: 'subOrchestration',
          id: event.EventId,
          name: String(event.Name),
          instanceId: String(event.InstanceId),
          input: parseOrUndefined(event.Input),
        });
        break;
    }
  }
  return work;
}

function resultFor(event: HistoryEvent): number | undefined {
  switch (event.EventType) {
    case EventType.TaskCompleted:
    case EventType.TaskFailed:
    case EventType.SubOrchestrationInstanceCompleted:
    case EventType.SubOrchestrationInstanceFailed:
      return event.TaskScheduledId as number;
    case EventType.TimerFired:
      return event.TimerId as number;
    default:
      return undefined;
  }
}

function parseOrUndefined(json: unknown): unknown {
  return typeof json === 'string' ? JSON.parse(json) : undefined;
}
