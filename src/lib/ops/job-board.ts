import type { JobEventMessage, JobStatusRecord } from '../jobs/job-types';
import { isTerminal } from '../jobs/job-types';

/** One job as the operations dashboard shows it. */
export interface BoardJob {
  jobId: string;
  workflow: string;
  status: string;
  progress: number;
  step: string;
  updatedAt: string;
  error?: string;
}

export interface BoardFailure {
  jobId: string;
  workflow: string;
  at: string;
  reason: string;
}

const MAX_JOBS = 200;
const MAX_FAILURES = 20;

/**
 * The jobs this process has seen on the guide's channels since the dashboard was first opened, newest
 * first, bounded (200 jobs, the last 20 failures with their reasons). Listeners (SSE clients) hear each
 * change. Pub/Sub reaches every instance, so each instance's board is complete from its start on.
 */
export class JobBoard {
  readonly #jobs = new Map<string, BoardJob>();
  readonly #failures: BoardFailure[] = [];
  readonly #listeners = new Set<(job: BoardJob) => void>();

  /** Applies one channel message; `workflow` comes from the job's record (messages do not carry it). */
  apply(message: JobEventMessage, workflow: string): BoardJob {
    const previous = this.#jobs.get(message.jobId);
    // A late progress message must not move a finished job back (Pub/Sub order is per channel).
    if (previous && isTerminal(previous.status as JobStatusRecord['status']) && !isTerminal(message.status)) {
      return previous;
    }
    const error = message.data?.error;
    const job: BoardJob = {
      jobId: message.jobId,
      workflow,
      status: message.status,
      progress: Math.max(
        message.progress,
        previous && previous.status === message.status ? previous.progress : 0,
      ),
      step: message.data?.step ?? previous?.step ?? '',
      updatedAt: message.timestamp,
      ...(typeof error === 'string' ? { error } : {}),
    };
    this.#jobs.delete(job.jobId);
    this.#jobs.set(job.jobId, job);
    while (this.#jobs.size > MAX_JOBS) this.#jobs.delete(this.#jobs.keys().next().value!);
    if (job.status === 'failed' && previous?.status !== 'failed') {
      this.#failures.unshift({
        jobId: job.jobId,
        workflow,
        at: job.updatedAt,
        reason: job.error ?? 'unknown',
      });
      this.#failures.length = Math.min(this.#failures.length, MAX_FAILURES);
    }
    for (const listener of this.#listeners) listener(job);
    return job;
  }

  knows(jobId: string): string | undefined {
    return this.#jobs.get(jobId)?.workflow;
  }

  jobs(): BoardJob[] {
    return [...this.#jobs.values()].reverse();
  }

  failures(): BoardFailure[] {
    return [...this.#failures];
  }

  /** Jobs per workflow and status, e.g. { 'trip-generation': { processing: 2, completed: 5 } }. */
  counts(): Record<string, Record<string, number>> {
    const counts: Record<string, Record<string, number>> = {};
    for (const job of this.#jobs.values()) {
      const byStatus = (counts[job.workflow] ??= {});
      byStatus[job.status] = (byStatus[job.status] ?? 0) + 1;
    }
    return counts;
  }

  listen(listener: (job: BoardJob) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
