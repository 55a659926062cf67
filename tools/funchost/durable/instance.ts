import type { HistoryEvent } from './history';

export type RuntimeStatus =
  'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Canceled' | 'Terminated' | 'Suspended';

export const TERMINAL: readonly RuntimeStatus[] = ['Completed', 'Failed', 'Terminated', 'Canceled'];

/** One orchestration instance as the backend keeps it (plain data, so it can be persisted). */
export interface Instance {
  instanceId: string;
  name: string;
  input: unknown;
  runtimeStatus: RuntimeStatus;
  customStatus: unknown;
  output: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  history: HistoryEvent[];
  /** Sequence id -> what the history says was scheduled under it (for the non-determinism check). */
  scheduled: Record<number, { kind: string; name: string }>;
  /** New events waiting for an episode, oldest first. */
  inbox: HistoryEvent[];
  parent?: { instanceId: string; scheduledId: number };
}

/** The status JSON of the Durable HTTP API (input and output keys always present). */
export function statusJson(instance: Instance, withHistory = false) {
  return {
    name: instance.name,
    instanceId: instance.instanceId,
    runtimeStatus: instance.runtimeStatus,
    input: instance.input ?? null,
    customStatus: instance.customStatus ?? null,
    output: instance.output ?? null,
    createdTime: instance.createdTime,
    lastUpdatedTime: instance.lastUpdatedTime,
    ...(withHistory ? { historyEvents: instance.history } : {}),
  };
}
