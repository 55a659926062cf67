import { toHhmm } from './clock-time';
import { dayRules, startOfDay, visit } from './day-walk';
import { round2, travelLeg } from './geo';
import { visitCost } from './scoring';
import type { DayPlan, LeftOut, Place, PlannedStop, TripGenerationRequest } from './types';

export interface DayMeta {
  dayIndex: number;
  date: string;
  weekday: string;
}

/**
 * Walks a day in the given order: travel, wait for opening if needed, visit. A stop that cannot be
 * visited (see day-walk.ts) is dropped with its reason and the walk goes on from the previous stop.
 */
export function timeDay(request: TripGenerationRequest, day: DayMeta, ordered: Place[]): DayPlan {
  const rules = dayRules(request, day.weekday);
  const stops: PlannedStop[] = [];
  const dropped: LeftOut[] = [];
  let state = startOfDay(rules);
  let visitMinutes = 0;

  for (const place of ordered) {
    const step = visit(rules, state, place);
    if (!step.ok) {
      dropped.push({ placeId: place.id, name: place.name, reason: step.reason, dayIndex: day.dayIndex });
      continue;
    }
    stops.push({
      placeId: place.id,
      name: place.name,
      category: place.category,
      lat: place.lat,
      lng: place.lng,
      arrival: toHhmm(step.arrival),
      departure: toHhmm(step.next.clock),
      waitMinutes: step.start - step.arrival,
      travelMinutesFromPrevious: step.leg.minutes,
      travelKmFromPrevious: step.leg.km,
      estimatedCost: visitCost(place) + step.leg.cost,
    });
    state = step.next;
    visitMinutes += place.visitMinutes;
  }

  const last = stops[stops.length - 1];
  const home = request.lodging && last ? travelLeg(last, request.lodging, request.transport) : undefined;
  const totals = {
    stops: stops.length,
    visitMinutes,
    travelMinutes: stops.reduce((s, stop) => s + stop.travelMinutesFromPrevious, 0) + (home?.minutes ?? 0),
    travelKm: round2(stops.reduce((s, stop) => s + stop.travelKmFromPrevious, 0) + (home?.km ?? 0)),
    estimatedCost: stops.reduce((s, stop) => s + stop.estimatedCost, 0) + (home?.cost ?? 0),
  };
  return {
    ...day,
    stops,
    ...(home
      ? {
          returnToLodging: {
            travelMinutes: home.minutes,
            travelKm: home.km,
            arrival: toHhmm(state.clock + home.minutes),
          },
        }
      : {}),
    totals,
    dropped,
  };
}
