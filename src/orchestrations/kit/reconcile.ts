import type * as df from 'durable-functions';
import type { JobStateStore } from '../../lib/jobs/job-state-store';
import { JobAlreadyFinishedError } from '../../lib/jobs/job-errors';
import { isTerminal, type JobStatusRecord } from '../../lib/jobs/job-types';

/** A processing job whose orchestration Durable does not know is lost after this long without a step. */
export const LOST_AFTER_MS = 5 * 60_000;

/**
 * Brings a job's record in line with its orchestration, for jobs whose orchestration died outside its
 * own error handling (a crash, a terminate from elsewhere, a purge): a record still `queued` or
 * `processing` whose orchestration is Failed or Terminated, or (processing, silent for LOST_AFTER_MS)
 * missing, is marked failed with the reason, which publishes on ai:job:error. Returns the record as
 * it now stands. A queued job without an orchestration is normal: its message is still in the queue.
 */
export async function reconcileJob(
  store: JobStateStore,
  record: JobStatusRecord,
  instance: df.DurableOrchestrationStatus | undefined,
  now: Date = new Date(),
): Promise<JobStatusRecord> {
  if (isTerminal(record.status)) return record;
  const reason = failureReason(record, instance, now);
  if (!reason) return record;
  try {
    await store.checkpoint(record.jobId, { status: 'failed', step: 'failed', error: reason });
  } catch (error) {
    if (!(error instanceof JobAlreadyFinishedError)) throw error;
  }
  return (await store.getStatus(record.jobId)) ?? record;
}

function failureReason(
  record: JobStatusRecord,
  instance: df.DurableOrchestrationStatus | undefined,
  now: Date,
): string | undefined {
  const runtime = instance?.runtimeStatus as string | undefined;
  if (runtime === 'Failed') return `OrchestrationFailed: ${describeOutput(instance?.output)}`;
  if (runtime === 'Terminated') return `OrchestrationTerminated: ${describeOutput(instance?.output)}`;
  if (runtime === 'Completed')
    return 'OrchestrationEnded: the orchestration completed without recording the end';
  if (!instance && record.status === 'processing') {
    const silentMs = now.getTime() - Date.parse(record.updatedAt);
    if (silentMs > LOST_AFTER_MS)
      return 'OrchestrationLost: the job has no orchestration (lost on a restart?)';
  }
  return undefined;
}

function describeOutput(output: unknown): string {
  if (output === undefined || output === null) return 'no reason given';
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  return text.slice(0, 500);
}
