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
 * fit. Then every other dropped candidate, best first, fills room left on any day, or else takes the
 * place of a strictly lower-scored ordinary stop (so a better place is never left out while a worse
 * one with the same needs is visited); a stop so displaced gets the same chance in turn. Changed days
 * are re-optimised. Deterministic: candidates by rank, days by index on ties.
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
  const dropped = (filter: (p: Place) => boolean) => {
    const onRoutes = visited();
    return rankPlaces(
      [...droppedIds]
        .map((id) => byId.get(id))
        .filter((p): p is Place => p !== undefined && !onRoutes.has(p.id) && filter(p)),
      request,
    );
  };
  // Each displacement swaps a stop for a strictly better-scored place, so the loop below ends; tried
  // marks a candidate once each time it is dropped.
  const tried = new Set<string>();
  const pending = () => dropped((p) => !must.has(p.id) && !tried.has(p.id))[0];

  for (const place of dropped((p) => must.has(p.id))) {
    if (!insertOnBestDay(request, days, place))
      displaceLowerStop(request, days, place, (stop) => !must.has(stop.id));
  }
  // A stop a must-visit displaced may still fit another day.
  for (const out of days.flatMap((d) => d.displaced)) droppedIds.add(out.placeId);
  for (let next = pending(); next; next = pending()) {
    tried.add(next.id);
    if (insertOnBestDay(request, days, next)) continue;
    const score = placeScore(next, request);
    const removed = displaceLowerStop(
      request,
      days,
      next,
      (stop) => !must.has(stop.id) && placeScore(stop, request) < score - 1e-12,
    );
    if (removed) {
      droppedIds.add(removed.id);
      tried.delete(removed.id);
    }
  }

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

/**
 * Swaps out, for place, the removable stop whose loss costs least (lowest score, then least added
 * travel) among those whose removal lets place fit; returns the stop removed, or nothing when no swap
 * fits (place then stays left out with its own day's reason).
 */
function displaceLowerStop(
  request: TripGenerationRequest,
  days: DayRoute[],
  place: Place,
  removable: (stop: Place) => boolean,
): Place | undefined {
  // Every (day, stop) swap worth trying, lowest score lost first: the first that fits fixes the score
  // to beat, and only the swaps tied with it are tried for less travel. A day the place cannot fit
  // even alone (closed, or its hours or the window too short) is not tried at all.
  const swaps: Array<{ day: DayRoute; at: number; removed: Place; lostScore: number }> = [];
  for (const day of days) {
    if (openIntervals(place.openingHours, day.meta.weekday).length === 0) continue;
    if (!cheapestInsertion(request, day.meta, [], place)) continue;
    day.route.forEach((removed, at) => {
      if (removable(removed)) swaps.push({ day, at, removed, lostScore: placeScore(removed, request) });
    });
  }
  swaps.sort((a, b) => a.lostScore - b.lostScore || a.day.meta.dayIndex - b.day.meta.dayIndex || a.at - b.at);
  let best: { day: DayRoute; route: Place[]; removed: Place; lostScore: number; addedKm: number } | undefined;
  for (const { day, at, removed, lostScore } of swaps) {
    if (best && lostScore > best.lostScore + 1e-12) break;
    const without = [...day.route.slice(0, at), ...day.route.slice(at + 1)];
    const inserted = cheapestInsertion(request, day.meta, without, place);
    if (!inserted) continue;
    if (!best || inserted.addedKm < best.addedKm - 1e-9)
      best = { day, route: inserted.route, removed, lostScore, addedKm: inserted.addedKm };
  }
  if (!best) return undefined;
  best.day.route = best.route;
  best.day.changed = true;
  best.day.displaced.push({
    placeId: best.removed.id,
    name: best.removed.name,
    reason: 'no_room_in_trip',
    dayIndex: best.day.meta.dayIndex,
  });
  return best.removed;
}
