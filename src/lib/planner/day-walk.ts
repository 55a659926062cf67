import { earliestVisitStart, openIntervals, toMinutes } from './clock-time';
import { travelLeg, type Leg, type Point } from './geo';
import { PACE } from './scoring';
import type { LeftOutReason, Place, TripGenerationRequest } from './types';

/**
 * One step of walking a day: the single definition of whether a stop fits where it stands, shared by
 * timeDay (which times a whole order) and the exact route search (which extends orders stop by stop).
 */
export interface DayRules {
  request: TripGenerationRequest;
  weekday: string;
  dayStart: number;
  dayEnd: number;
  /** Travel plus visits may fill only the pace's share of the window. */
  busyLimit: number;
}

export interface WalkState {
  position: Point | undefined;
  clock: number;
  busy: number;
}

/** Legs a caller has already worked out (the route search visits the same pairs many times). */
export interface KnownLegs {
  leg: Leg;
  backMinutes: number;
}

export type Step =
  | { ok: true; leg: Leg; arrival: number; start: number; next: WalkState }
  | { ok: false; reason: LeftOutReason };

export function dayRules(request: TripGenerationRequest, weekday: string): DayRules {
  const dayStart = toMinutes(request.dayStart);
  const dayEnd = toMinutes(request.dayEnd);
  return {
    request,
    weekday,
    dayStart,
    dayEnd,
    busyLimit: (dayEnd - dayStart) * PACE[request.pace].windowShare,
  };
}

export function startOfDay(rules: DayRules): WalkState {
  return { position: rules.request.lodging, clock: rules.dayStart, busy: 0 };
}

/**
 * Travel to `place`, wait for it to open if needed, visit it. It does not fit when it is closed that
 * weekday, or the visit cannot end before closing, or before the day ends with time to get back to
 * the lodging, or within the pace's share of the window.
 */
export function visit(rules: DayRules, state: WalkState, place: Place, known?: KnownLegs): Step {
  const { request } = rules;
  const leg =
    known?.leg ??
    (state.position ? travelLeg(state.position, place, request.transport) : { km: 0, minutes: 0, cost: 0 });
  const intervals = openIntervals(place.openingHours, rules.weekday);
  if (intervals.length === 0) return { ok: false, reason: 'closed_on_day' };
  const arrival = state.clock + leg.minutes;
  const start = earliestVisitStart(intervals, arrival, place.visitMinutes);
  const back =
    known?.backMinutes ??
    (request.lodging ? travelLeg(place, request.lodging, request.transport).minutes : 0);
  const busy = state.busy + leg.minutes + place.visitMinutes;
  if (start === undefined || start + place.visitMinutes + back > rules.dayEnd || busy > rules.busyLimit) {
    return { ok: false, reason: 'does_not_fit_day_window' };
  }
  return {
    ok: true,
    leg,
    arrival,
    start,
    next: { position: place, clock: start + place.visitMinutes, busy },
  };
}
