import { PermanentError } from '../errors/app-errors';
import { openIntervals, toMinutes, tripDay } from './clock-time';
import { clusterIntoDays } from './day-clusters';
import { centroid, haversineKm, TRAVEL_MODES } from './geo';
import { PACE, rankPlaces, visitCost } from './scoring';
import type { DayAssignment, LeftOut, Place, TripGenerationRequest } from './types';

/** Candidates kept per stop a day can hold: spares let a day replace a stop that does not fit. */
const SPARE_FACTOR = 1.5;

/**
 * Chooses the places worth visiting (must-visits, then by interest and rating; over-budget ones out)
 * as many as the days can hold with spares, and spreads them over the days by geography
 * (clusterIntoDays around the lodging, or the centre of the chosen places), so a day's stops lie near
 * each other. A place closed on its day's weekday moves to a day it is open. Deterministic.
 */
export function selectAndAssign(request: TripGenerationRequest): {
  days: DayAssignment[];
  leftOut: LeftOut[];
} {
  const leftOut: LeftOut[] = [];
  const must = new Set(request.mustVisit ?? []);
  const affordable = rankPlaces(request.places, request).filter((place) => {
    const over =
      request.budgetPerDay !== undefined && visitCost(place) > request.budgetPerDay && !must.has(place.id);
    if (over) leftOut.push({ placeId: place.id, name: place.name, reason: 'over_budget' });
    return !over;
  });
  if (affordable.length === 0) {
    // Retrying cannot make a place cheaper: the job fails at once, saying why.
    throw new PermanentError(
      'no place fits the request: every candidate is over budgetPerDay',
      'NoFeasiblePlan',
    );
  }
  const perDay = Math.ceil(stopsPerDay(request, affordable) * SPARE_FACTOR);
  const chosen = affordable.slice(0, perDay * request.days);
  for (const place of affordable.slice(perDay * request.days)) {
    leftOut.push({ placeId: place.id, name: place.name, reason: 'not_selected_low_score' });
  }

  const calendar = Array.from({ length: request.days }, (_, i) => tripDay(request.startDate, i));
  const groups = clusterIntoDays(chosen, request.days, request.lodging ?? centroid(chosen));
  rehomeClosedPlaces(groups, calendar, perDay);
  const days = groups.map((group, dayIndex) => ({
    dayIndex,
    date: calendar[dayIndex]!.date,
    weekday: calendar[dayIndex]!.weekday,
    placeIds: group.map((p) => p.id),
  }));
  return { days, leftOut };
}

/**
 * A place closed on its group's weekday moves to the nearest group whose weekday it is open on: into
 * spare room, else swapped with that group's member nearest to the place's group that is open there.
 * A place no day suits stays; planDay reports it closed_on_day and assembly gives it another chance.
 */
function rehomeClosedPlaces(groups: Place[][], calendar: Array<{ weekday: string }>, capacity: number): void {
  const centres = groups.map((g) => centroid(g));
  const openOn = (place: Place, day: number) =>
    openIntervals(place.openingHours, calendar[day]!.weekday).length > 0;
  groups.forEach((group, dayIndex) => {
    for (const place of [...group]) {
      if (openOn(place, dayIndex)) continue;
      const targets = groups
        .map((g, i) => ({ i, distance: haversineKm(centres[i]!, place) }))
        .filter(({ i }) => i !== dayIndex && openOn(place, i))
        .sort((a, b) => a.distance - b.distance || a.i - b.i);
      for (const { i } of targets) {
        const target = groups[i]!;
        if (target.length < capacity) {
          group.splice(group.indexOf(place), 1);
          target.push(place);
          break;
        }
        const partner = target
          .filter((other) => openOn(other, dayIndex) && openOn(other, i))
          .sort((a, b) => haversineKm(a, centres[dayIndex]!) - haversineKm(b, centres[dayIndex]!))[0];
        if (!partner) continue;
        group[group.indexOf(place)] = partner;
        target[target.indexOf(partner)] = place;
        break;
      }
    }
  });
}

/**
 * How many stops a day can hold: the pace's cap, or fewer when the window is short: the pace's share
 * of the window over a typical stop (median visit plus a typical leg for the transport mode).
 */
export function stopsPerDay(request: TripGenerationRequest, candidates: Place[]): number {
  const { maxStops, windowShare } = PACE[request.pace];
  const visits = candidates.map((p) => p.visitMinutes).sort((a, b) => a - b);
  const typicalVisit = visits[Math.floor(visits.length / 2)] ?? 60;
  const busyMinutes = (toMinutes(request.dayEnd) - toMinutes(request.dayStart)) * windowShare;
  const fit = Math.floor(busyMinutes / (typicalVisit + TRAVEL_MODES[request.transport].typicalLegMinutes));
  return Math.max(1, Math.min(maxStops, fit));
}
