import type { CheckpointUpdate } from '../../lib/jobs/job-types';
import { TRIP_JOB_TYPE } from './names';

/**
 * The steps of a trip generation job as other services see them (`data.step`), with the progress each
 * reaches and a rough estimate of the seconds left (`data.estimatedTime`). Sequence numbers are the
 * step's position, so a retried checkpoint activity replays as a no-op.
 */
export const TRIP_STEPS = [
  { step: 'validating_request', progress: 5, estimatedTime: 60 },
  { step: 'selecting_places', progress: 15, estimatedTime: 50 },
  { step: 'planning_days', progress: 55, estimatedTime: 30 },
  { step: 'optimising_routes', progress: 75, estimatedTime: 15 },
  { step: 'assembling_schedule', progress: 85, estimatedTime: 8 },
  { step: 'caching_schedule', progress: 92, estimatedTime: 4 },
  { step: 'announcing_result', progress: 97, estimatedTime: 2 },
] as const;

export type TripStep = (typeof TRIP_STEPS)[number]['step'];

/** seq 0 is the trigger's `queued`; step i is seq i + 1; the terminal checkpoint comes after all. */
export function stepSeq(step: TripStep): number {
  return TRIP_STEPS.findIndex((s) => s.step === step) + 1;
}

export const TERMINAL_SEQ = TRIP_STEPS.length + 1;

/**
 * The checkpoint that creates a trip job: written by the API (so the status link answers at once) and
 * by the queue trigger (for messages from other producers). Both use seq 0, so the second is a replay.
 */
export function queuedCheckpoint(request: { userId: string; tripId: string }): CheckpointUpdate {
  return {
    userId: request.userId,
    jobType: TRIP_JOB_TYPE,
    status: 'queued',
    progress: 0,
    step: 'queued',
    seq: 0,
    data: { tripId: request.tripId },
  };
}
