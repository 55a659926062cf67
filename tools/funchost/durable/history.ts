/**
 * Durable history events in the extension's JSON shape (local-host-contract.md §1). The library reads
 * EventType, EventId, Timestamp and the few payload fields named there; the rest is bookkeeping.
 */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
} as const;

export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [field: string]: unknown;
}

const at = (now: number) => new Date(now).toISOString();
const base = (type: number, now: number, eventId = -1): HistoryEvent => ({
  EventType: type,
  EventId: eventId,
  IsPlayed: false,
  Timestamp: at(now),
});

/** JSON text of a value, as the extension stores inputs and results (null when there is none). */
export function jsonOrNull(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

export const History = {
  executionStarted: (now: number, name: string, input: unknown) => ({
    ...base(EventType.ExecutionStarted, now),
    Name: name,
    Input: jsonOrNull(input),
    Version: '',
  }),
  orchestratorStarted: (now: number) => base(EventType.OrchestratorStarted, now),
  orchestratorCompleted: (now: number) => base(EventType.OrchestratorCompleted, now),
  taskScheduled: (now: number, id: number, name: string, input: unknown, inputJson = jsonOrNull(input)) => ({
    ...base(EventType.TaskScheduled, now, id),
    Name: name,
    Input: inputJson,
  }),
  taskCompleted: (now: number, scheduledId: number, result: unknown) => ({
    ...base(EventType.TaskCompleted, now),
    TaskScheduledId: scheduledId,
    Result: jsonOrNull(result),
  }),
  taskFailed: (now: number, scheduledId: number, name: string, error: Error) => ({
    ...base(EventType.TaskFailed, now),
    TaskScheduledId: scheduledId,
    Reason: `Activity function '${name}' failed: ${error.message}`,
    Details: JSON.stringify({ Message: error.message, StackTrace: error.stack ?? '' }),
  }),
  subOrchestrationCreated: (now: number, id: number, name: string, instanceId: string, input: unknown) => ({
    ...base(EventType.SubOrchestrationInstanceCreated, now, id),
    Name: name,
    InstanceId: instanceId,
    Input: jsonOrNull(input),
  }),
  subOrchestrationCompleted: (now: number, scheduledId: number, result: unknown) => ({
    ...base(EventType.SubOrchestrationInstanceCompleted, now),
    TaskScheduledId: scheduledId,
    Result: jsonOrNull(result),
  }),
  subOrchestrationFailed: (now: number, scheduledId: number, name: string, message: string) => ({
    ...base(EventType.SubOrchestrationInstanceFailed, now),
    TaskScheduledId: scheduledId,
    Reason: `Orchestrator function '${name}' failed: ${message}`,
    Details: JSON.stringify({ Message: message }),
  }),
  timerCreated: (now: number, id: number, fireAt: number) => ({
    ...base(EventType.TimerCreated, now, id),
    FireAt: at(fireAt),
  }),
  timerFired: (now: number, timerId: number, fireAt: number) => ({
    ...base(EventType.TimerFired, now),
    TimerId: timerId,
    FireAt: at(fireAt),
  }),
  eventRaised: (now: number, name: string, input: unknown) => ({
    ...base(EventType.EventRaised, now),
    Name: name,
    Input: jsonOrNull(input),
  }),
  executionCompleted: (now: number, status: string, result: unknown) => ({
    ...base(EventType.ExecutionCompleted, now),
    OrchestrationStatus: status,
    Result: jsonOrNull(result),
  }),
  executionTerminated: (now: number, reason: string) => ({
    ...base(EventType.ExecutionTerminated, now),
    Input: reason,
  }),
  executionSuspended: (now: number, reason: string) => ({
    ...base(EventType.ExecutionSuspended, now),
    Reason: reason,
  }),
  executionResumed: (now: number, reason: string) => ({
    ...base(EventType.ExecutionResumed, now),
    Reason: reason,
  }),
};
