import type * as df from 'durable-functions';
import type { CheckpointUpdate } from '../../lib/jobs/job-types';
import { JobFailure } from '../shared/activity-outcome';
import { boundedFanOut, withinDeadline } from '../shared/bounded-fan-out';
import { transientRetry } from '../shared/retry-policy';
import type {
  TripGenerationInput,
  TripAssignmentResult,
  TripDayPlan,
  TripGenerationOutput,
  TripScheduleResult,
} from './contracts';
import { TripGenerationNames as Names } from './names';
import { TRIP_STEPS, type TripStep } from './progress-plan';

const STEP = Object.fromEntries(TRIP_STEPS.map((s) => [s.step, s])) as Record<
  TripStep,
  (typeof TRIP_STEPS)[number]
>;

/**
 * validate → select and assign places → plan the days (at most ModelParallelism at once) → optimise
 * each day's route → assemble → cache the schedule (8 h) → announce TripGenerated → completed.
 * The whole job races a durable timer of MaxProcessingTime. No I/O here: every effect is an activity.
 */
export function* tripGenerationOrchestrator(
  context: df.OrchestrationContext,
): Generator<df.Task, TripGenerationOutput, unknown> {
  const input = context.df.getInput<TripGenerationInput>();
  const { jobId, request } = input;
  const retry = transientRetry();
  const call = (name: string, payload: unknown) => context.df.callActivityWithRetry(name, retry, payload);
  const deadline = context.df.createTimer(
    new Date(context.df.currentUtcDateTime.getTime() + input.maxProcessingTimeMs),
  );
  let seq = 0;

  function* checkpoint(update: CheckpointUpdate, raceDeadline = true): Generator<df.Task, void, unknown> {
    seq += 1;
    context.df.setCustomStatus({ status: update.status, step: update.step, progress: update.progress });
    const task = call(Names.activities.checkpoint, { jobId, update: { ...update, seq } });
    if (raceDeadline) yield* withinDeadline(context, task, deadline);
    else yield task;
  }
  function* enter(step: TripStep, progress: number = STEP[step].progress): Generator<df.Task, void, unknown> {
    yield* checkpoint({ status: 'processing', step, progress, estimatedTime: STEP[step].estimatedTime });
  }

  try {
    yield* enter('validating_request');
    yield* enter('selecting_places');
    const { days, leftOut } = yield* withinDeadline<TripAssignmentResult>(
      context,
      call(Names.activities.selectAndAssign, { request }),
      deadline,
    );

    yield* enter('planning_days');
    const span = (from: TripStep, to: TripStep, done: number) =>
      Math.floor(
        STEP[from].progress + ((STEP[to].progress - STEP[from].progress) * done) / Math.max(days.length, 1),
      );
    const planned = yield* boundedFanOut<TripDayPlan>(
      context,
      days.length,
      input.modelParallelism,
      (i) => call(Names.activities.planDay, { request, assignment: days[i] }),
      deadline,
      (done) =>
        done < days.length
          ? enter('planning_days', span('planning_days', 'optimising_routes', done))
          : noop(),
    );

    yield* enter('optimising_routes');
    const optimised = yield* boundedFanOut<TripDayPlan>(
      context,
      planned.length,
      input.modelParallelism,
      (i) => call(Names.activities.optimiseDay, { request, dayPlan: planned[i] }),
      deadline,
    );

    yield* enter('assembling_schedule');
    const schedule = yield* withinDeadline<TripScheduleResult>(
      context,
      call(Names.activities.assemble, { request, dayPlans: optimised, leftOut }),
      deadline,
    );
    yield* enter('caching_schedule');
    yield* withinDeadline(
      context,
      call(Names.activities.cacheSchedule, { tripId: request.tripId, schedule }),
      deadline,
    );
    yield* enter('announcing_result');
    yield* withinDeadline(
      context,
      call(Names.activities.publishGenerated, {
        jobId,
        tripId: request.tripId,
        userId: request.userId,
        schedule,
      }),
      deadline,
    );
    yield* checkpoint({ status: 'completed', step: 'completed', data: { tripId: request.tripId } });
    deadline.cancel();
    return { jobId, tripId: request.tripId, status: 'completed', days: optimised.length };
  } catch (thrown) {
    // A timer that already fired cannot be cancelled (durable-functions throws).
    if (!deadline.isCompleted) deadline.cancel();
    const failure =
      thrown instanceof JobFailure ? thrown : new JobFailure('ActivityFailed', messageOf(thrown));
    // Recorded without racing the deadline (it may be what failed us); nothing is announced on ai-events.
    yield* checkpoint(
      { status: 'failed', step: 'failed', error: `${failure.code}: ${failure.message}` },
      false,
    );
    throw failure;
  }
}

function* noop(): Generator<df.Task, void, unknown> {}

function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}
