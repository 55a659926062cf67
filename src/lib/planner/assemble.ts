import { round2 } from './geo';
import { placeAcrossDays } from './place-across-days';
import type { OpeningHours } from '../contracts/trip-generation-request';
import type { DayPlan, LeftOut, ScheduleConstraints, TripGenerationRequest, TripSchedule } from './types';

/**
 * The trip: every day, the totals, and every candidate left out with its reason. Days are planned
 * apart (in parallel), so this is where a must-visit or a good candidate one day dropped gets its
 * chance on another (placeAcrossDays). A place dropped from one day but visited on another is not
 * reported as left out. The schedule keeps the constraints a later analysis needs (budget, must-visits,
 * the scheduled stops' opening hours).
 */
export function assembleSchedule(
  request: TripGenerationRequest,
  days: DayPlan[],
  leftOut: LeftOut[],
): TripSchedule {
  const ordered = placeAcrossDays(
    request,
    [...days].sort((a, b) => a.dayIndex - b.dayIndex),
  );
  const visited = new Set(ordered.flatMap((d) => d.stops.map((s) => s.placeId)));
  const reported = new Set<string>();
  const allLeftOut = [...leftOut, ...ordered.flatMap((d) => d.dropped)].filter((item) => {
    if (visited.has(item.placeId) || reported.has(item.placeId)) return false;
    reported.add(item.placeId);
    return true;
  });
  return {
    tripId: request.tripId,
    userId: request.userId,
    destination: request.destination,
    startDate: request.startDate,
    transport: request.transport,
    pace: request.pace,
    days: ordered,
    totals: {
      days: ordered.length,
      stops: ordered.reduce((s, d) => s + d.totals.stops, 0),
      visitMinutes: ordered.reduce((s, d) => s + d.totals.visitMinutes, 0),
      travelMinutes: ordered.reduce((s, d) => s + d.totals.travelMinutes, 0),
      travelKm: round2(ordered.reduce((s, d) => s + d.totals.travelKm, 0)),
      estimatedCost: ordered.reduce((s, d) => s + d.totals.estimatedCost, 0),
    },
    leftOut: allLeftOut,
    constraints: constraintsOf(request, visited),
  };
}

function constraintsOf(request: TripGenerationRequest, visited: ReadonlySet<string>): ScheduleConstraints {
  const openingHours: Record<string, OpeningHours> = {};
  for (const place of request.places)
    if (place.openingHours && visited.has(place.id)) openingHours[place.id] = place.openingHours;
  return {
    ...(request.budgetPerDay !== undefined ? { budgetPerDay: request.budgetPerDay } : {}),
    mustVisit: request.mustVisit ?? [],
    openingHours,
  };
}
