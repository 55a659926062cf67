/**
 * The steps of a trip generation job as other services see them (`data.step`), with the progress each
 * reaches and a rough estimate of the seconds left (`data.estimatedTime`).
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

export function stepProgress(step: TripStep): number {
  return TRIP_STEPS.find((s) => s.step === step)!.progress;
}
