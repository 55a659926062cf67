import { instanceIdOf } from '../kit/workflow-definition';

/** Function names of the trip generation flow, shared by registrations, the orchestrator and tests. */
export const TripGenerationNames = {
  orchestrator: 'tripGenerationOrchestrator',
  activities: {
    resolveInterests: 'tripResolveInterests',
    selectAndAssign: 'tripSelectAndAssign',
    planDay: 'tripPlanDay',
    optimiseDay: 'tripOptimiseDay',
    assemble: 'tripAssembleSchedule',
    cacheSchedule: 'tripCacheSchedule',
    publishGenerated: 'tripPublishGenerated',
  },
} as const;

export const TRIP_JOB_TYPE = 'trip-generation';

/** The orchestration instance of a job: derived from the job id, so a resubmission finds it. */
export function tripInstanceId(jobId: string): string {
  return instanceIdOf(TRIP_JOB_TYPE, jobId);
}
