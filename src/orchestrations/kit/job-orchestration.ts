import type * as df from 'durable-functions';
import { JobFailure } from '../shared/activity-outcome';
import type { JobOutput } from './job-input';
import { JobStopped } from './job-stopped';
import { JobSteps } from './job-steps';
import type { WorkflowIdentity } from './workflow-definition';

/** What a workflow's own steps hand back: the result for the orchestration output and the completed event's data. */
export interface JobBodyResult {
  result?: unknown;
  data?: Record<string, unknown>;
}

export type JobBody<R> = (job: JobSteps<R>) => Generator<df.Task, JobBodyResult, unknown>;

/**
 * Wraps a workflow's own steps into its orchestrator: wait for the job's turn in its ordering line,
 * run the steps, record `completed` (or `failed` with the reason, publishing on ai:job:error), wake the
 * next job of the line. A job found finished by someone else (a cancel) stops quietly. A failed job
 * ends its orchestration Failed, as Azure shows it.
 */
export function jobOrchestration<R>(
  definition: () => WorkflowIdentity,
  body: JobBody<R>,
): (context: df.OrchestrationContext) => Generator<df.Task, JobOutput, unknown> {
  return function* (context) {
    const job = new JobSteps<R>(context, definition());
    let failure: JobFailure | undefined;
    let output: JobOutput;
    try {
      yield* job.awaitTurn();
      const { result, data } = yield* body(job);
      yield* job.checkpoint({ status: 'completed', step: 'completed', ...(data ? { data } : {}) });
      output = { jobId: job.jobId, status: 'completed', ...(result !== undefined ? { result } : {}) };
    } catch (thrown) {
      job.cancelDeadline();
      if (thrown instanceof JobStopped) {
        output = { jobId: job.jobId, status: 'cancelled' };
      } else {
        failure = thrown instanceof JobFailure ? thrown : new JobFailure('ActivityFailed', messageOf(thrown));
        output = { jobId: job.jobId, status: 'failed', error: `${failure.code}: ${failure.message}` };
        yield* recordFailure(job, output.error!);
      }
    }
    job.cancelDeadline();
    yield* job.handOver();
    if (failure) throw failure;
    return output;
  };
}

/**
 * Not raced against the deadline (it may be what failed us). It names the user and job type, so a
 * record that vanished from Redis is recreated as failed: what is lost is reported, never shown running.
 */
function* recordFailure<R>(job: JobSteps<R>, error: string): Generator<df.Task, void, unknown> {
  try {
    yield* job.checkpoint(
      {
        status: 'failed',
        step: 'failed',
        error,
        userId: job.input.userId,
        jobType: job.definition.name,
      },
      false,
    );
  } catch (thrown) {
    if (!(thrown instanceof JobStopped)) throw thrown;
  }
}

function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}
