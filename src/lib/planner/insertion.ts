import { PACE } from './scoring';
import { timeDay, type DayMeta } from './time-day';
import type { DayPlan, Place, TripGenerationRequest } from './types';

/**
 * Whether a timed day holds: every stop visited (nothing dropped for hours or the window), within
 * the pace's number of stops and the daily budget.
 */
export function dayHolds(request: TripGenerationRequest, plan: DayPlan): boolean {
  return (
    plan.dropped.length === 0 &&
    plan.stops.length <= PACE[request.pace].maxStops &&
    (request.budgetPerDay === undefined || plan.totals.estimatedCost <= request.budgetPerDay)
  );
}

/**
 * Cheapest insertion: the position in `route` where `place` adds the least travel while the day
 * still holds, or undefined when no position does. Ties go to the earliest position, so the result
 * depends only on the inputs.
 */
export function cheapestInsertion(
  request: TripGenerationRequest,
  meta: DayMeta,
  route: Place[],
  place: Place,
): { route: Place[]; addedKm: number } | undefined {
  if (route.length >= PACE[request.pace].maxStops) return undefined;
  const baseKm = timeDay(request, meta, route).totals.travelKm;
  let best: { route: Place[]; addedKm: number } | undefined;
  for (let at = 0; at <= route.length; at++) {
    const trial = [...route.slice(0, at), place, ...route.slice(at)];
    const timed = timeDay(request, meta, trial);
    if (!dayHolds(request, timed)) continue;
    const addedKm = timed.totals.travelKm - baseKm;
    if (!best || addedKm < best.addedKm - 1e-9) best = { route: trial, addedKm };
  }
  return best;
}
