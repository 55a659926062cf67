import type * as df from 'durable-functions';
import type { JobStateStore } from '../../lib/jobs/job-state-store';
import { isTerminal } from '../../lib/jobs/job-types';
import { isWorkflowName } from '../workflows';
import { findInstance } from './instances';
import { reconcileJob } from './reconcile';
import { instanceIdOf } from './workflow-definition';

/** Jobs looked at per sweep; the rest wait for the next one (oldest first, so none starves). */
export const SWEEP_BATCH = 500;

export interface SweepReport {
  checked: number;
  /** Jobs this sweep marked failed, with the reason their record now carries. */
  failed: Array<{ jobId: string; error: string }>;
  /** Jobs found finished (or expired) and dropped from the watch list. */
  forgotten: number;
}

/**
 * The reconciler's sweep (issue 12): not only on read, every started job is brought in line with its
 * orchestration — one whose orchestration is Failed, Terminated, Completed without recording it, or
 * (processing, silent for reconcile.ts LOST_AFTER_MS) missing is marked failed with the reason, which
 * the checkpoint publishes on ai:job:error:<jobId>. Safe to run on several instances at once: every
 * change is a checkpoint, and a terminal state is final.
 */
export async function sweepJobs(
  store: JobStateStore,
  client: df.DurableClient,
  options: { limit?: number; now?: Date } = {},
): Promise<SweepReport> {
  const jobIds = await store.inflight.oldest(options.limit ?? SWEEP_BATCH);
  const report: SweepReport = { checked: jobIds.length, failed: [], forgotten: 0 };
  const done: string[] = [];
  for (const jobId of jobIds) {
    const record = await store.getStatus(jobId);
    if (!record || isTerminal(record.status) || !isWorkflowName(record.jobType)) {
      done.push(jobId);
      continue;
    }
    const instance = await findInstance(client, instanceIdOf(record.jobType, jobId));
    const now = await reconcileJob(store, record, instance, options.now);
    if (isTerminal(now.status)) {
      done.push(jobId);
      if (now.status === 'failed') report.failed.push({ jobId, error: now.error ?? '' });
    }
  }
  await store.inflight.forget(done);
  report.forgotten = done.length;
  return report;
}
