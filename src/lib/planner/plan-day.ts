import { cheapestInsertion } from './insertion';
import { PACE, rankPlaces, visitCost } from './scoring';
import { timeDay, type DayMeta } from './time-day';
import type { DayAssignment, DayPlan, LeftOut, Place, TripGenerationRequest } from './types';

/**
 * Builds a day from its assigned places: must-visits first, then best-ranked, each inserted where it
 * adds the least travel while the whole day still fits (window, opening hours, pace, budget), up to
 * the pace's number of stops. What does not fit is reported with its reason.
 */
export function planDay(request: TripGenerationRequest, assignment: DayAssignment): DayPlan {
  const byId = new Map(request.places.map((p) => [p.id, p]));
  const candidates = rankPlaces(
    assignment.placeIds.map((id) => byId.get(id)).filter((p): p is Place => p !== undefined),
    request,
  );
  const meta: DayMeta = { dayIndex: assignment.dayIndex, date: assignment.date, weekday: assignment.weekday };
  let route: Place[] = [];
  const notPlaced: LeftOut[] = [];

  for (const place of candidates) {
    if (route.length >= PACE[request.pace].maxStops) {
      notPlaced.push({
        placeId: place.id,
        name: place.name,
        reason: 'no_room_in_trip',
        dayIndex: meta.dayIndex,
      });
      continue;
    }
    const inserted = cheapestInsertion(request, meta, route, place);
    if (inserted) route = inserted.route;
    else notPlaced.push(whyNot(request, meta, place, route));
  }
  const plan = timeDay(request, meta, route);
  return { ...plan, dropped: [...plan.dropped, ...notPlaced] };
}

/**
 * Why a place could not join a day's route: asked of the place alone first (closed, too long for
 * the window or its hours, dearer than the whole budget), then of the route without the budget.
 */
export function whyNot(request: TripGenerationRequest, meta: DayMeta, place: Place, route: Place[]): LeftOut {
  const alone = timeDay(request, meta, [place]);
  const unaffordable = request.budgetPerDay !== undefined && visitCost(place) > request.budgetPerDay;
  const reason =
    alone.dropped[0]?.reason ??
    (unaffordable || cheapestInsertion({ ...request, budgetPerDay: undefined }, meta, route, place)
      ? 'over_budget'
      : 'does_not_fit_day_window');
  return { placeId: place.id, name: place.name, reason, dayIndex: meta.dayIndex };
}
