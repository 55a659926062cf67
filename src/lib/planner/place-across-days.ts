import { openIntervals } from './clock-time';
import { cheapestInsertion } from './insertion';
import { optimiseDayRoute } from './optimise-day';
import { placeScore, rankPlaces } from './scoring';
import { timeDay, type DayMeta } from './time-day';
import type { DayPlan, LeftOut, Place, TripGenerationRequest } from './types';

interface DayRoute {
  meta: DayMeta;
  route: Place[];
  displaced: LeftOut[];
  changed: boolean;
}

/**
 * A second chance across days for what the days, planned apart, could not hold: a must-visit dropped
 * by its day (closed that weekday, or the day too full) goes to the day where it adds the least
 * travel, and if no day has room, takes the place of the lowest-scored ordinary stop that makes it
 * fit. Then every other dropped candidate, best first, fills room left on any day. Changed days are
 * re-optimised. Deterministic: candidates by rank, days by index on ties.
 */
export function placeAcrossDays(request: TripGenerationRequest, plans: DayPlan[]): DayPlan[] {
  const byId = new Map(request.places.map((p) => [p.id, p]));
  const must = new Set(request.mustVisit ?? []);
  const days: DayRoute[] = plans.map((plan) => ({
    meta: { dayIndex: plan.dayIndex, date: plan.date, weekday: plan.weekday },
    route: plan.stops.map((s) => byId.get(s.placeId)).filter((p): p is Place => p !== undefined),
    displaced: [],
    changed: false,
  }));
  const visited = () => new Set(days.flatMap((d) => d.route.map((p) => p.id)));
  const droppedIds = new Set(plans.flatMap((plan) => plan.dropped.map((d) => d.placeId)));
  const dropped = (filter: (p: Place) => boolean) =>
    rankPlaces(
      [...droppedIds]
        .map((id) => byId.get(id))
        .filter((p): p is Place => p !== undefined && !visited().has(p.id) && filter(p)),
      request,
    );

  for (const place of dropped((p) => must.has(p.id))) {
    if (!insertOnBestDay(request, days, place)) displaceForMustVisit(request, days, place, must);
  }
  // A stop a must-visit displaced may still fit another day.
  for (const out of days.flatMap((d) => d.displaced)) droppedIds.add(out.placeId);
  for (const place of dropped((p) => !must.has(p.id))) insertOnBestDay(request, days, place);

  return plans.map((plan, i) => {
    const day = days[i]!;
    if (!day.changed) return plan;
    const timed = timeDay(request, day.meta, day.route);
    return optimiseDayRoute(request, { ...timed, dropped: [...plan.dropped, ...day.displaced] });
  });
}

function insertOnBestDay(request: TripGenerationRequest, days: DayRoute[], place: Place): boolean {
  let best: { day: DayRoute; route: Place[]; addedKm: number } | undefined;
  for (const day of days) {
    if (openIntervals(place.openingHours, day.meta.weekday).length === 0) continue;
    const inserted = cheapestInsertion(request, day.meta, day.route, place);
    if (inserted && (!best || inserted.addedKm < best.addedKm - 1e-9)) best = { day, ...inserted };
  }
  if (!best) return false;
  best.day.route = best.route;
  best.day.changed = true;
  return true;
}

/** Swaps out the ordinary stop whose loss costs least (lowest score, then least added travel). */
function displaceForMustVisit(
  request: TripGenerationRequest,
  days: DayRoute[],
  place: Place,
  must: Set<string>,
): void {
  let best: { day: DayRoute; route: Place[]; removed: Place; lostScore: number; addedKm: number } | undefined;
  for (const day of days) {
    if (openIntervals(place.openingHours, day.meta.weekday).length === 0) continue;
    day.route.forEach((removed, i) => {
      if (must.has(removed.id)) return;
      const without = [...day.route.slice(0, i), ...day.route.slice(i + 1)];
      const inserted = cheapestInsertion(request, day.meta, without, place);
      if (!inserted) return;
      const lostScore = placeScore(removed, request);
      const better =
        !best ||
        lostScore < best.lostScore - 1e-12 ||
        (Math.abs(lostScore - best.lostScore) <= 1e-12 && inserted.addedKm < best.addedKm - 1e-9);
      if (better) best = { day, route: inserted.route, removed, lostScore, addedKm: inserted.addedKm };
    });
  }
  if (!best) return; // cannot be placed on any day: it stays left out with its own day's reason
  best.day.route = best.route;
  best.day.changed = true;
  best.day.displaced.push({
    placeId: best.removed.id,
    name: best.removed.name,
    reason: 'no_room_in_trip',
    dayIndex: best.day.meta.dayIndex,
  });
}
