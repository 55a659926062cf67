import type { CacheAside } from '../../lib/cache/cache-aside';
import type { EventPublisher } from '../../lib/messaging/event-publisher';
import { Keys } from '../../lib/redis/keys';
import { type ActivityOutcome, runActivity } from '../shared/activity-outcome';
import type { ProfileStore } from '../../lib/analysis/profile-store';
import type {
  InterestsResolution,
  TripAssignmentResult,
  TripDayPlan,
  TripRequestRef,
  TripScheduleResult,
} from './contracts';
import { TripGenerationNames as Names } from './names';

/** The planning steps, pure and deterministic (src/lib/planner); injected so tests can swap in failures. */
export interface TripPlanner {
  selectAndAssign(request: TripRequestRef): TripAssignmentResult;
  planDay(request: TripRequestRef, assignment: unknown): TripDayPlan;
  optimiseDay(request: TripRequestRef, dayPlan: TripDayPlan): TripDayPlan;
  assemble(request: TripRequestRef, dayPlans: TripDayPlan[], leftOut: unknown[]): TripScheduleResult;
  /** The TripGenerated event body built from the schedule. */
  generatedEvent(input: {
    jobId: string;
    tripId: string;
    userId: string;
    schedule: TripScheduleResult;
  }): unknown;
}

export interface TripActivityDeps {
  scheduleCache(): Promise<CacheAside<unknown>>;
  eventPublisher(): EventPublisher;
  profileStore(): Promise<Pick<ProfileStore, 'get'>>;
  planner: TripPlanner;
}

type Handler = (input: never) => Promise<ActivityOutcome<unknown>>;

/**
 * The trip generation activities (checkpoints are the kit's). Each is safe to retry: caching overwrites
 * the same key, and the TripGenerated message id is derived from the
 * job, so Service Bus duplicate detection drops a repeat.
 */
export function createTripActivities(deps: TripActivityDeps): Record<string, Handler> {
  return {
    // A request without interests is planned with the user's stored profile (read here, not in the
    // orchestrator, so the choice is recorded once in the history and a replay never re-reads it).
    [Names.activities.resolveInterests]: (input: { userId: string }) =>
      runActivity(async (): Promise<InterestsResolution> => {
        const profile = await (await deps.profileStore()).get(input.userId);
        return profile && Object.keys(profile.interests).length > 0
          ? { interests: profile.interests, source: 'profile' }
          : { interests: {}, source: 'none' };
      }),
    [Names.activities.selectAndAssign]: (input: { request: TripRequestRef }) =>
      runActivity(() => deps.planner.selectAndAssign(input.request)),
    [Names.activities.planDay]: (input: { request: TripRequestRef; assignment: unknown }) =>
      runActivity(() => deps.planner.planDay(input.request, input.assignment)),
    [Names.activities.optimiseDay]: (input: { request: TripRequestRef; dayPlan: TripDayPlan }) =>
      runActivity(() => deps.planner.optimiseDay(input.request, input.dayPlan)),
    [Names.activities.assemble]: (input: {
      request: TripRequestRef;
      dayPlans: TripDayPlan[];
      leftOut: unknown[];
    }) => runActivity(() => deps.planner.assemble(input.request, input.dayPlans, input.leftOut)),
    [Names.activities.cacheSchedule]: (input: { tripId: string; schedule: TripScheduleResult }) =>
      runActivity(async () => (await deps.scheduleCache()).set(Keys.schedule(input.tripId), input.schedule)),
    [Names.activities.publishGenerated]: (input: {
      jobId: string;
      tripId: string;
      userId: string;
      schedule: TripScheduleResult;
    }) =>
      runActivity(() =>
        deps.eventPublisher().publish('TripGenerated', input.jobId, deps.planner.generatedEvent(input)),
      ),
  };
}
