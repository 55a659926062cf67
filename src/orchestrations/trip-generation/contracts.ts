/**
 * Shapes that cross the orchestration's activity boundary (they are stored in the Durable history,
 * so they must be plain JSON). The request and plan types come from the contracts and planner modules.
 */
export interface TripRequestRef {
  tripId: string;
  userId: string;
  [field: string]: unknown;
}

export interface TripGenerationInput {
  jobId: string;
  request: TripRequestRef;
  maxProcessingTimeMs: number;
  modelParallelism: number;
}

/** Where the interests a trip was planned with came from (the job's result says so). */
export type InterestsSource = 'request' | 'profile' | 'none';

export interface InterestsResolution {
  interests: Record<string, number>;
  source: Exclude<InterestsSource, 'request'>;
}

export interface TripAssignmentResult {
  days: unknown[];
  leftOut: unknown[];
}

export type TripDayPlan = unknown;
export type TripScheduleResult = unknown;

export interface TripGenerationOutput {
  jobId: string;
  tripId: string;
  status: 'completed';
  days: number;
}
