import { z } from 'zod';
import { jobIdProblem } from '../redis/key-parts';

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

// Ids and step names go into the published JSON verbatim (see checkpoint-3.lua), so their alphabet
// holds no character JSON would have to escape.
const SAFE_TEXT = /^[A-Za-z0-9_.:@-]+$/;
const SAFE_TEXT_MESSAGE = 'may only contain letters, digits and _ . : @ -';
const idText = z.string().min(1).max(128).regex(SAFE_TEXT, SAFE_TEXT_MESSAGE);

export const checkpointUpdateSchema = z.strictObject({
  userId: idText.optional(),
  jobType: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and -')
    .optional(),
  status: z.enum(JOB_STATUSES, { message: `must be one of ${JOB_STATUSES.join(', ')}` }).optional(),
  progress: z
    .number()
    .finite()
    .min(0, 'must be between 0 and 100')
    .max(100, 'must be between 0 and 100')
    .optional(),
  step: z.string().min(1).max(100).regex(SAFE_TEXT, SAFE_TEXT_MESSAGE).optional(),
  estimatedTime: z.number().int('must be whole seconds').min(0).optional(),
  seq: z.number().int().min(0).optional(),
  error: z.string().max(4000).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

/** Returns every problem with a checkpoint's input, field by field; empty when it is valid. */
export function checkpointProblems(jobId: unknown, update: unknown): string[] {
  const problems: string[] = [];
  const idProblem = jobIdProblem(jobId);
  if (idProblem) problems.push(`jobId ${idProblem}`);
  const parsed = checkpointUpdateSchema.safeParse(update);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push(`${issue.path.join('.') || 'update'} ${issue.message}`);
  }
  return problems;
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
