import type * as df from 'durable-functions';
import type { CheckpointResult, CheckpointUpdate } from '../../lib/jobs/job-types';
import { isTerminal } from '../../lib/jobs/job-types';
import { type ActivityOutcome, unwrap } from '../shared/activity-outcome';
import { boundedFanOut, withinDeadline } from '../shared/bounded-fan-out';
import { transientRetry } from '../shared/retry-policy';
import type { JobInput } from './job-input';
import { JobStopped } from './job-stopped';
import { KitNames } from './kit-names';
import { withJobTrace } from './traced-activity';
import type { ProgressStep, WorkflowIdentity } from './workflow-definition';

/** The longest a waiting job sleeps between looks at the job before it (the wake-up event is the fast path). */
const TURN_POLL_MAX_MS = 30_000;
/** A waiting job re-checkpoints this often, so its record outlives a long wait (TTL 1 h). */
const WAITING_NOTE_EVERY_MS = 20 * 60_000;

/**
 * The orchestrator side of a job, shared by every workflow: checkpoints carrying the orchestration's
 * own sequence number, activities with the transient retry policy raced against the job's deadline,
 * the bounded fan-out, the commit point, and waiting for the job's turn in its ordering line.
 * Everything here is deterministic: time comes from the durable context, effects are activities.
 */
export class JobSteps<R> {
  readonly input: JobInput<R>;
  readonly retry = transientRetry();
  #seq = 0;
  #deadline?: df.TimerTask;
  readonly #steps: Map<string, ProgressStep>;

  constructor(
    readonly context: df.OrchestrationContext,
    readonly definition: WorkflowIdentity,
  ) {
    this.input = context.df.getInput<JobInput<R>>();
    this.#steps = new Map(definition.steps.map((s) => [s.step, s]));
  }

  get jobId(): string {
    return this.input.jobId;
  }

  /** The job's deadline (MaxProcessingTime), started when the job's turn comes. */
  get deadline(): df.TimerTask {
    this.#deadline ??= this.context.df.createTimer(
      new Date(this.context.df.currentUtcDateTime.getTime() + this.input.maxProcessingTimeMs),
    );
    return this.#deadline;
  }

  cancelDeadline(): void {
    // A timer that already fired cannot be cancelled (durable-functions throws).
    if (this.#deadline && !this.#deadline.isCompleted) this.#deadline.cancel();
  }

  /** An activity with the transient retry policy (not awaited). */
  call(name: string, payload: unknown): df.Task {
    return this.context.df.callActivityWithRetry(name, this.retry, withJobTrace(this.input, payload));
  }

  /** An activity raced against the deadline; a permanent failure becomes a JobFailure. */
  *run<T>(name: string, payload: unknown): Generator<df.Task, T, unknown> {
    return yield* withinDeadline<T>(this.context, this.call(name, payload), this.deadline);
  }

  /** `count` activities, at most ModelParallelism at once, each raced against the deadline. */
  *fanOut<T>(
    count: number,
    start: (index: number) => df.Task,
    onDone?: (completed: number) => Generator<df.Task, void, unknown>,
    parallelism = this.input.modelParallelism,
  ): Generator<df.Task, T[], unknown> {
    return yield* boundedFanOut<T>(this.context, count, parallelism, start, this.deadline, onDone);
  }

  /**
   * Records a step. The store's answer is read: if the job is already finished by someone else
   * (cancelled, failed by the reconciler), the orchestration stops here, before its next side effect.
   */
  *checkpoint(update: CheckpointUpdate, raceDeadline = true): Generator<df.Task, CheckpointResult, unknown> {
    this.#seq += 1;
    this.context.df.setCustomStatus({ status: update.status, step: update.step, progress: update.progress });
    const task = this.call(KitNames.activities.checkpoint, {
      jobId: this.jobId,
      update: { ...update, seq: this.#seq },
    });
    const result = raceDeadline
      ? yield* withinDeadline<CheckpointResult>(this.context, task, this.deadline)
      : unwrap((yield task) as ActivityOutcome<CheckpointResult>);
    if (isTerminal(result.status) && result.status !== update.status) throw new JobStopped(result.status);
    return result;
  }

  /** Enters one of the workflow's progress steps (progress defaults to the step's own). */
  *enter(step: string, progress?: number, data?: Record<string, unknown>): Generator<df.Task, void, unknown> {
    const plan = this.#steps.get(step);
    if (!plan) throw new Error(`step ${step} is not in the ${this.definition.name} progress plan`);
    yield* this.checkpoint({
      status: 'processing',
      step,
      progress: progress ?? plan.progress,
      estimatedTime: plan.estimatedTime,
      ...(data ? { data } : {}),
    });
  }

  /**
   * The point of no return, before the first effect other services can see (a cached result, an
   * announcement): after it a cancel is refused; if the job was cancelled before it, stop here.
   */
  *commit(): Generator<df.Task, void, unknown> {
    const status = yield* this.run<string | null>(KitNames.activities.commit, { jobId: this.jobId });
    if (status !== 'queued' && status !== 'processing') throw new JobStopped(status ?? 'lost');
  }

  /** Waits until the job before this one in its ordering line has ended. */
  *awaitTurn(): Generator<df.Task, void, unknown> {
    const { after, workflow, jobId } = this.input;
    if (!after) return;
    const df = this.context.df;
    const wake = df.waitForExternalEvent(KitNames.turnEvent);
    let delayMs = 1_000;
    let notedAt: number | undefined;
    for (;;) {
      const turn = unwrap(
        (yield this.call(KitNames.activities.turn, { workflow, jobId, after })) as ActivityOutcome<string>,
      );
      if (turn === 'go') return;
      if (turn === 'stopped') throw new JobStopped('cancelled');
      const now = df.currentUtcDateTime.getTime();
      if (notedAt === undefined || now - notedAt >= WAITING_NOTE_EVERY_MS) {
        notedAt = now;
        yield* this.checkpoint({ status: 'queued', step: 'waiting_for_turn', data: { after } }, false);
      }
      const timer = df.createTimer(new Date(now + delayMs));
      // Task.any over an already-completed task never resolves in durable-functions: once the event
      // has come, only the timer is awaited.
      const winner = wake.isCompleted ? yield timer : yield df.Task.any([wake, timer]);
      if (winner === wake && !timer.isCompleted) timer.cancel();
      delayMs = Math.min(delayMs * 2, TURN_POLL_MAX_MS);
    }
  }

  /** Wakes the job after this one in the ordering line (it would also find out by itself, later). */
  *handOver(): Generator<df.Task, void, unknown> {
    const { orderingKey, workflow, jobId } = this.input;
    if (!orderingKey) return;
    yield this.call(KitNames.activities.handOver, { workflow, orderingKey, jobId });
  }
}
