export const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** What one step of a job reports. Fields left out keep their stored value. */
export interface CheckpointUpdate {
  /** Needed only by the checkpoint that creates the job. */
  userId?: string;
  jobType?: string;
  status?: JobStatus;
  progress?: number;
  step?: string;
  /** Seconds of work the step expects to remain. */
  estimatedTime?: number;
  /**
   * Per-job sequence number chosen by the caller (an orchestration's step index). A retried activity
   * sends the same one again, and the store recognises the replay.
   */
  seq?: number;
  error?: string;
  /** Extra fields for the published message's `data`. */
  data?: Record<string, unknown>;
}

export interface JobStatusRecord {
  jobId: string;
  userId: string;
  jobType: string;
  status: JobStatus;
  progress: number;
  step: string;
  seq: number;
  createdAt: string;
  updatedAt: string;
  estimatedTime?: number;
  error?: string;
}

/** The guide's Pub/Sub message format, also the payload of each job event stream entry. */
export interface JobEventMessage {
  eventType: 'job_status_update' | 'job_progress_update' | 'job_completed' | 'job_failed' | 'job_cancelled';
  jobId: string;
  userId: string;
  status: JobStatus;
  progress: number;
  timestamp: string;
  data: { step: string; estimatedTime?: number; error?: string } & Record<string, unknown>;
}

export interface CheckpointResult {
  /** applied: written and published; replay: this seq was already recorded; ignored: status would go backwards. */
  outcome: 'applied' | 'replay' | 'ignored';
  status: JobStatus;
  progress: number;
  seq: number;
  /** Id of the event stream entry, when one was appended. */
  eventId?: string;
}
