import type { TripGenerationRequest } from '../../lib/contracts/trip-generation-request';
import type { TripGeneratedEvent } from '../../lib/contracts/trip-generated-event';
import { assembleSchedule, optimiseDayRoute, planDay, selectAndAssign } from '../../lib/planner';
import type { DayAssignment, DayPlan, LeftOut, TripSchedule } from '../../lib/planner/types';
import type { TripPlanner } from './activities';

/**
 * The planner behind the activities. Inputs arrive as JSON from the Durable history; they were
 * validated by the contract when the job was accepted, so they are typed here, not parsed again.
 */
export const tripPlanner: TripPlanner = {
  selectAndAssign: (request) => selectAndAssign(request as TripGenerationRequest),
  planDay: (request, assignment) => planDay(request as TripGenerationRequest, assignment as DayAssignment),
  optimiseDay: (request, dayPlan) => optimiseDayRoute(request as TripGenerationRequest, dayPlan as DayPlan),
  assemble: (request, dayPlans, leftOut) =>
    assembleSchedule(request as TripGenerationRequest, dayPlans as DayPlan[], leftOut as LeftOut[]),
  generatedEvent: ({ jobId, tripId, userId, schedule }): TripGeneratedEvent => {
    const trip = schedule as TripSchedule;
    return {
      eventType: 'TripGenerated',
      schemaVersion: 1,
      jobId,
      tripId,
      userId,
      destination: trip.destination,
      startDate: trip.startDate,
      days: trip.totals.days,
      totals: trip.totals,
      scheduleKey: `trips/${tripId}/schedule`,
      generatedAt: new Date().toISOString(),
    };
  },
};
