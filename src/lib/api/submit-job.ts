import type { HttpResponseInit } from '@azure/functions';
import { toError } from '../errors/app-errors';
import { JobAlreadyFinishedError } from '../jobs/job-errors';
import type { JobStateStore } from '../jobs/job-state-store';
import type { CheckpointUpdate, JobStatus } from '../jobs/job-types';
import { DEFAULT_RETRY_AFTER_SECONDS } from './error-response';
import { json } from './http-responses';

export interface SubmitJobInput {
  jobId: string;
  store: Pick<JobStateStore, 'checkpoint'>;
  /** The job's first checkpoint: userId, jobType, status `queued`, its seq (the trigger repeats it). */
  queuedUpdate: CheckpointUpdate;
  /** Sends the job's message (message id = job id, so the queue drops a resent copy). */
  send(): Promise<void>;
}

export type SubmitJobOutcome =
  | { outcome: 'queued'; jobId: string }
  /** Already submitted and past `queued` (or finished): nothing was sent. */
  | { outcome: 'conflict'; jobId: string; status: JobStatus | string }
  | {
      outcome: 'failed';
      jobId: string;
      /** Where it failed: writing the `queued` record, or sending the message. */
      stage: 'record' | 'send';
      error: Error;
      /** What the record says now: `failed` (SubmitFailed), or unknown when Redis could not be told. */
      recordedAs: 'failed' | 'unknown';
    };

/** The reason a failed submit leaves on the job's record (and on ai:job:error). */
export const SUBMIT_FAILED = 'SubmitFailed';

/**
 * Submits a job so that, from the caller's view, it is atomic (issue 12): either the job is recorded
 * `queued` and its message sent, or the caller gets an error and the record says `failed` with reason
 * SubmitFailed, never a `queued` record whose message was never sent.
 * - Recording fails (Redis down or timing out): nothing was sent. A queued write given up on is never
 *   sent late (bounded-offline-wait.ts); one already on the wire may still land, so the record is
 *   marked failed straight after, and Redis runs the two in order.
 * - Sending fails: the record is marked failed. Should the send have reached the queue after all, the
 *   trigger finds a finished job and starts nothing.
 * A failed job is final: submit again with a new job id (or none, and the API makes one).
 */
export async function submitJob(input: SubmitJobInput): Promise<SubmitJobOutcome> {
  const { jobId, store } = input;
  let status: JobStatus | string;
  try {
    status = (await store.checkpoint(jobId, input.queuedUpdate)).status;
  } catch (thrown) {
    if (thrown instanceof JobAlreadyFinishedError)
      return { outcome: 'conflict', jobId, status: thrown.status };
    return failed(input, 'record', toError(thrown));
  }
  if (status !== 'queued') return { outcome: 'conflict', jobId, status };
  try {
    await input.send();
  } catch (thrown) {
    return failed(input, 'send', toError(thrown));
  }
  return { outcome: 'queued', jobId };
}

async function failed(
  input: SubmitJobInput,
  stage: 'record' | 'send',
  error: Error,
): Promise<SubmitJobOutcome> {
  const { userId, jobType } = input.queuedUpdate;
  try {
    await input.store.checkpoint(input.jobId, {
      userId,
      jobType,
      status: 'failed',
      step: 'submit_failed',
      error: `${SUBMIT_FAILED}: the job could not be ${stage === 'record' ? 'recorded' : 'queued'}`,
    });
    return { outcome: 'failed', jobId: input.jobId, stage, error, recordedAs: 'failed' };
  } catch {
    return { outcome: 'failed', jobId: input.jobId, stage, error, recordedAs: 'unknown' };
  }
}

/**
 * The answer to a failed submit: 503 with Retry-After (both causes are outages of Redis or Service
 * Bus), the job id (which the caller may not have chosen) and what its record says; no internal text.
 */
export function submitFailedResponse(
  outcome: Extract<SubmitJobOutcome, { outcome: 'failed' }>,
  errorId: string,
): HttpResponseInit {
  const what = outcome.stage === 'record' ? 'the job store is unreachable' : 'the job queue is unreachable';
  return json(
    503,
    {
      error: 'ServiceUnavailable',
      reason: SUBMIT_FAILED,
      message: `The job was not submitted: ${what}. Submit again with a new jobId (or none) after ${DEFAULT_RETRY_AFTER_SECONDS} seconds.`,
      jobId: outcome.jobId,
      recordedStatus: outcome.recordedAs === 'failed' ? 'failed' : 'unknown',
      errorId,
    },
    { 'Retry-After': String(DEFAULT_RETRY_AFTER_SECONDS) },
  );
}
