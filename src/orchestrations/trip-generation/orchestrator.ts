import type * as df from 'durable-functions';
import { jobOrchestration } from '../kit/job-orchestration';
import type {
  InterestsResolution,
  InterestsSource,
  TripAssignmentResult,
  TripDayPlan,
  TripRequestRef,
  TripScheduleResult,
} from './contracts';
import { dayPlaceIds, dayRequest } from './day-request';
import { TripGenerationNames as Names } from './names';
import { stepProgress, type TripStep } from './progress-plan';
import { tripGenerationWorkflow } from './workflow';

/**
 * validate → (interests from the stored profile when the request has none) → select and assign places → plan the days (at most ModelParallelism at once) → optimise
 * each day's route → assemble → commit → cache the schedule (8 h) → announce TripGenerated →
 * completed. The kit (kit/job-orchestration.ts) waits for the job's turn first, races every step
 * against MaxProcessingTime and records the end. No I/O here: every effect is an activity.
 */
export const tripGenerationOrchestrator = jobOrchestration<TripRequestRef>(
  () => tripGenerationWorkflow,
  function* (job) {
    const { activities } = Names;
    yield* job.enter('validating_request');
    let request = job.input.request;
    let interestsFrom: InterestsSource = 'request';
    if (request.interests === undefined) {
      const resolved = yield* job.run<InterestsResolution>(activities.resolveInterests, {
        userId: request.userId,
      });
      request = { ...request, interests: resolved.interests };
      interestsFrom = resolved.source;
    }
    yield* job.enter('selecting_places');
    const { days, leftOut } = yield* job.run<TripAssignmentResult>(activities.selectAndAssign, { request });

    yield* job.enter('planning_days');
    const between = (from: TripStep, to: TripStep, done: number) =>
      Math.floor(
        stepProgress(from) + ((stepProgress(to) - stepProgress(from)) * done) / Math.max(days.length, 1),
      );
    const planned = yield* job.fanOut<TripDayPlan>(
      days.length,
      (i) =>
        job.call(activities.planDay, {
          request: dayRequest(request, dayPlaceIds(days[i])),
          assignment: days[i],
        }),
      (done) =>
        done < days.length
          ? job.enter('planning_days', between('planning_days', 'optimising_routes', done))
          : noop(),
    );

    yield* job.enter('optimising_routes');
    const optimised = yield* job.fanOut<TripDayPlan>(planned.length, (i) =>
      job.call(activities.optimiseDay, {
        request: dayRequest(request, dayPlaceIds(planned[i])),
        dayPlan: planned[i],
      }),
    );

    yield* job.enter('assembling_schedule');
    const schedule = yield* job.run<TripScheduleResult>(activities.assemble, {
      request,
      dayPlans: optimised,
      leftOut,
    });
    // From here a cancel is refused: a cancelled job never has a cached schedule or a TripGenerated.
    yield* job.commit();
    yield* job.enter('caching_schedule');
    yield* job.run(activities.cacheSchedule, { tripId: request.tripId, userId: request.userId, schedule });
    yield* job.enter('announcing_result');
    yield* job.run(activities.publishGenerated, {
      jobId: job.jobId,
      tripId: request.tripId,
      userId: request.userId,
      schedule,
    });
    return {
      result: { tripId: request.tripId, days: optimised.length, interestsFrom },
      data: { tripId: request.tripId },
    };
  },
);

function* noop(): Generator<df.Task, void, unknown> {}
