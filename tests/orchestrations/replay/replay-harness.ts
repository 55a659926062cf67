import { VirtualClock } from '../../../tools/funchost/clock';
import { EventType, type HistoryEvent } from '../../../tools/funchost/durable/history';
import type { Instance } from '../../../tools/funchost/durable/instance';
import { startLocalHost, type LocalHost } from '../../../tools/funchost/host';
import type { PersistenceOption } from '../../../tools/funchost/durable/persistence';
import type { CheckpointUpdate } from '../../../src/lib/jobs/job-types';
import type { JobInput } from '../../../src/orchestrations/kit/job-input';
import { KitNames } from '../../../src/orchestrations/kit/kit-names';
import { instanceIdOf, type WorkflowName } from '../../../src/orchestrations/kit/workflow-definition';
import { workflowNamed } from '../../../src/orchestrations/workflows';
import type { Effect, script as Script } from './scripted-app';

export const THIRTY_MINUTES = 30 * 60_000;

export interface ReplayRig {
  host: LocalHost;
  clock: VirtualClock;
  script: typeof Script;
  /** Starts a job's orchestration as the intake would, with the kit's input. */
  start<R>(workflow: WorkflowName, jobId: string, request: R, input?: Partial<JobInput<R>>): string;
  finished(instanceId: string): Promise<Instance>;
  /** Advances the clock in steps of `stepMs` for `totalMs`, letting the host settle after each. */
  walk(totalMs: number, stepMs: number): Promise<void>;
  /**
   * The effects one job ran, in order: those recorded from its start to the next job's start (not all
   * inputs name the job, so a test runs its jobs one after the other).
   */
  effectsOf(jobId: string): Effect[];
  stop(): Promise<void>;
}

/**
 * The local host with the scripted app (real orchestrators, scripted activities) on a virtual clock.
 * One per test file; each test uses job ids of its own. With `persistence` (and the clock of the host
 * it replaces) a test restarts the host: the new one resumes the orchestrations the old one left.
 */
export async function startReplayRig(
  options: { persistence?: PersistenceOption; clock?: VirtualClock } = {},
): Promise<ReplayRig> {
  const clock = options.clock ?? new VirtualClock(Date.UTC(2026, 5, 1, 9, 0));
  let script!: typeof Script;
  const starts: Array<{ jobId: string; from: number }> = [];
  const host = await startLocalHost({
    load: () =>
      jest.isolateModules(() => {
        script = (require('./scripted-app') as typeof import('./scripted-app')).script;
      }),
    clock,
    quiet: true,
    persistence: options.persistence,
  });
  script.now = () => clock.now();
  return {
    host,
    clock,
    script,
    start(workflow, jobId, request, input = {}) {
      const definition = workflowNamed(workflow)!;
      const instanceId = instanceIdOf(workflow, jobId);
      starts.push({ jobId, from: script.effects.length });
      host.durable.startNew(definition.orchestratorName, {
        instanceId,
        input: {
          jobId,
          userId: 'user-1',
          workflow,
          request,
          maxProcessingTimeMs: THIRTY_MINUTES,
          modelParallelism: 2,
          batchSize: 10,
          ...input,
        },
      });
      return instanceId;
    },
    finished: (instanceId) =>
      host.durable.waitFor(
        instanceId,
        (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus),
        20_000,
      ),
    effectsOf(jobId) {
      const at = starts.findIndex((s) => s.jobId === jobId);
      if (at < 0) throw new Error(`job ${jobId} was not started by this rig`);
      return script.effects.slice(starts[at]!.from, starts[at + 1]?.from);
    },
    async walk(totalMs, stepMs) {
      for (let walked = 0; walked < totalMs; walked += stepMs) {
        await host.durable.whenIdle();
        clock.advance(stepMs);
      }
      await host.durable.whenIdle();
    },
    stop: () => host.stop(),
  };
}

/** Resolves once `done()` holds (the host's state changes on its own schedule). */
export async function until(done: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `checkpoint:<step>` for the kit's checkpoints, the activity name otherwise: the shape of a run. */
export function shape(effects: Effect[]): string[] {
  return effects.map((e) =>
    e.name === KitNames.activities.checkpoint
      ? `checkpoint:${(e.input.update as CheckpointUpdate).step ?? (e.input.update as CheckpointUpdate).status}`
      : e.name,
  );
}

export function checkpointsOf(effects: Effect[]): CheckpointUpdate[] {
  return effects
    .filter((e) => e.name === KitNames.activities.checkpoint)
    .map((e) => e.input.update as CheckpointUpdate);
}

/** The most tasks of one name (activities or sub-orchestrations) ever in flight at once, from the history. */
export function maxInFlight(history: HistoryEvent[], name: string): number {
  const open = new Set<number>();
  let most = 0;
  for (const event of history) {
    if (
      (event.EventType === EventType.TaskScheduled ||
        event.EventType === EventType.SubOrchestrationInstanceCreated) &&
      event.Name === name
    ) {
      open.add(event.EventId);
      most = Math.max(most, open.size);
    }
    if (
      [
        EventType.TaskCompleted,
        EventType.TaskFailed,
        EventType.SubOrchestrationInstanceCompleted,
        EventType.SubOrchestrationInstanceFailed,
      ].includes(event.EventType as 5) &&
      open.has(event.TaskScheduledId as number)
    )
      open.delete(event.TaskScheduledId as number);
  }
  return most;
}

export function timersOf(history: HistoryEvent[]): number[] {
  return history
    .filter((e) => e.EventType === EventType.TimerCreated)
    .map((e) => Date.parse(String(e.FireAt)));
}

/**
 * A checkpoint responder that finds the job cancelled (as a cancel by request leaves its record) at the
 * first checkpoint `cancelledAt` picks, and applies every other one.
 */
export function checkpointCancelledAt(cancelledAt: (update: CheckpointUpdate) => boolean) {
  return (input: Record<string, unknown>) => {
    const update = input.update as CheckpointUpdate;
    return cancelledAt(update)
      ? { outcome: 'ignored', status: 'cancelled', progress: 0, seq: 0 }
      : { outcome: 'applied', status: update.status, progress: update.progress ?? 0, seq: update.seq };
  };
}
