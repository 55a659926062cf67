import { openIntervals, toMinutes } from '../planner/clock-time';
import { WALKED_HOP_KM, round2 } from '../planner/geo';
import type { DayPlan, LeftOutReason, Place, TripGenerationRequest, TripSchedule } from '../planner/types';
import { categoryDiversity, type CategoryDiversity } from './category-diversity';

/**
 * A cached trip schedule (what trip generation stores under ai:schedule:{tripId}) judged after the
 * fact: how much of each day goes to travel, the longest leg, walking, budget use, category
 * diversity, stops at risk of closing, must-visits that found no place.
 *
 * Opening hours, the must-visit list and the budget come from the constraints the planner keeps with
 * the schedule (`qualityContextFromSchedule`) or from the trip's request (`qualityContextFromRequest`).
 * Without them (a schedule cached before constraints were kept) the answers that need them say so
 * (`{ known: false, reason }`) instead of guessing.
 */
export const RISK_MARGIN_MINUTES = 15;

export interface TripQualityContext {
  /** The places with their opening hours (a place without hours is open all day). */
  places?: Array<Pick<Place, 'id' | 'openingHours'>>;
  mustVisit?: string[];
  budgetPerDay?: number;
  /** Why none of the three is known, when the whole context is missing (it names the cause, not a field). */
  unknownBecause?: string;
}

export function qualityContextFromRequest(request: TripGenerationRequest): TripQualityContext {
  return { places: request.places, mustVisit: request.mustVisit ?? [], budgetPerDay: request.budgetPerDay };
}

export function qualityContextFromSchedule(schedule: TripSchedule): TripQualityContext {
  const constraints = schedule.constraints;
  if (!constraints) return { unknownBecause: 'the schedule was cached before it kept its constraints' };
  return {
    places: Object.entries(constraints.openingHours).map(([id, openingHours]) => ({ id, openingHours })),
    mustVisit: constraints.mustVisit,
    budgetPerDay: constraints.budgetPerDay,
  };
}

export type Known<T> = ({ known: true } & T) | { known: false; reason: string };

export interface Leg {
  dayIndex: number;
  /** The stop the leg leaves, or "start" (the lodging or wherever the day begins). */
  from: string;
  /** The stop the leg reaches, or "lodging". */
  to: string;
  km: number;
  minutes: number;
}

export interface StopAtRisk {
  dayIndex: number;
  placeId: string;
  name: string;
  arrival: string;
  departure: string;
  closing: string;
  /** arrives_near_closing: arrival within 15 min of closing; ends_near_closing: the visit ends
   *  within 15 min of closing, so a 15-minute delay on the way would cut it short. */
  risk: 'arrives_near_closing' | 'ends_near_closing';
}

export interface DayQuality {
  dayIndex: number;
  date: string;
  stops: number;
  /** From leaving for the first stop to the end of the last leg (back at the lodging, or leaving the last stop). */
  activeMinutes: number;
  travelMinutes: number;
  /** travelMinutes / activeMinutes (0 for an empty day). */
  travelShare: number;
  walkingKm: number;
  estimatedCost: number;
  /** estimatedCost / budgetPerDay. */
  budgetUse: Known<{ share: number; budgetPerDay: number }>;
  distinctCategories: number;
}

export interface TripQualityReport {
  tripId: string;
  userId: string;
  days: DayQuality[];
  travelShare: number;
  longestLeg: Leg | null;
  walkingKm: number;
  categoryDiversity: CategoryDiversity;
  stopsAtRisk: Known<{ stops: StopAtRisk[] }>;
  unplacedMustVisits: Known<{
    places: Array<{ placeId: string; reason: LeftOutReason | 'not_in_schedule' }>;
  }>;
}

export function tripQualityReport(
  schedule: TripSchedule,
  context: TripQualityContext = {},
): TripQualityReport {
  const days = schedule.days.map((day) => dayQuality(day, schedule.transport, context));
  const legs = schedule.days.flatMap(legsOf);
  const active = days.reduce((s, d) => s + d.activeMinutes, 0);
  const travel = days.reduce((s, d) => s + d.travelMinutes, 0);
  return {
    tripId: schedule.tripId,
    userId: schedule.userId,
    days,
    travelShare: active > 0 ? round4(travel / active) : 0,
    longestLeg: legs.reduce<Leg | null>(
      (best, leg) =>
        !best || leg.minutes > best.minutes || (leg.minutes === best.minutes && leg.km > best.km)
          ? leg
          : best,
      null,
    ),
    walkingKm: round2(days.reduce((s, d) => s + d.walkingKm, 0)),
    categoryDiversity: categoryDiversity(schedule.days.flatMap((d) => d.stops.map((s) => s.category))),
    stopsAtRisk: stopsAtRisk(schedule.days, context),
    unplacedMustVisits: unplacedMustVisits(schedule, context),
  };
}

function legsOf(day: DayPlan): Leg[] {
  const legs: Leg[] = day.stops.map((stop, i) => ({
    dayIndex: day.dayIndex,
    from: i === 0 ? 'start' : day.stops[i - 1]!.placeId,
    to: stop.placeId,
    km: stop.travelKmFromPrevious,
    minutes: stop.travelMinutesFromPrevious,
  }));
  const last = day.stops.at(-1);
  if (day.returnToLodging && last)
    legs.push({
      dayIndex: day.dayIndex,
      from: last.placeId,
      to: 'lodging',
      km: day.returnToLodging.travelKm,
      minutes: day.returnToLodging.travelMinutes,
    });
  return legs;
}

/** The planner walks every hop under WALKED_HOP_KM whatever the mode (planner/geo.ts). */
function walkedKm(legs: Leg[], transport: TripSchedule['transport']): number {
  return round2(
    legs.filter((l) => transport === 'walk' || l.km < WALKED_HOP_KM).reduce((s, l) => s + l.km, 0),
  );
}

function dayQuality(
  day: DayPlan,
  transport: TripSchedule['transport'],
  context: TripQualityContext,
): DayQuality {
  const first = day.stops[0];
  const last = day.stops.at(-1);
  const begins = first ? toMinutes(first.arrival) - first.travelMinutesFromPrevious : 0;
  const ends = last ? toMinutes(day.returnToLodging?.arrival ?? last.departure) : 0;
  const activeMinutes = Math.max(0, ends - begins);
  const travelMinutes = day.totals.travelMinutes;
  const budget = context.budgetPerDay;
  return {
    dayIndex: day.dayIndex,
    date: day.date,
    stops: day.stops.length,
    activeMinutes,
    travelMinutes,
    travelShare: activeMinutes > 0 ? round4(travelMinutes / activeMinutes) : 0,
    walkingKm: walkedKm(legsOf(day), transport),
    estimatedCost: day.totals.estimatedCost,
    budgetUse:
      budget === undefined
        ? { known: false, reason: context.unknownBecause ?? 'the trip request set no budgetPerDay' }
        : { known: true, share: round4(day.totals.estimatedCost / budget), budgetPerDay: budget },
    distinctCategories: new Set(day.stops.map((s) => s.category)).size,
  };
}

function stopsAtRisk(days: DayPlan[], context: TripQualityContext): TripQualityReport['stopsAtRisk'] {
  const { places } = context;
  if (!places) return { known: false, reason: context.unknownBecause ?? 'opening hours were not given' };
  const byId = new Map(places.map((p) => [p.id, p]));
  const stops: StopAtRisk[] = [];
  for (const day of days) {
    for (const stop of day.stops) {
      const hours = byId.get(stop.placeId)?.openingHours;
      if (!hours) continue; // open all day (or unknown): nothing closes on it
      const start = toMinutes(stop.arrival) + stop.waitMinutes;
      const departure = toMinutes(stop.departure);
      const interval = openIntervals(hours, day.weekday).find(
        ([open, close]) => open <= start && departure <= close,
      );
      if (!interval) continue;
      const close = interval[1];
      const risk =
        close - toMinutes(stop.arrival) <= RISK_MARGIN_MINUTES
          ? 'arrives_near_closing'
          : close - departure < RISK_MARGIN_MINUTES
            ? 'ends_near_closing'
            : undefined;
      if (risk)
        stops.push({
          dayIndex: day.dayIndex,
          placeId: stop.placeId,
          name: stop.name,
          arrival: stop.arrival,
          departure: stop.departure,
          closing: clock(close),
          risk,
        });
    }
  }
  return { known: true, stops };
}

function unplacedMustVisits(
  schedule: TripSchedule,
  context: TripQualityContext,
): TripQualityReport['unplacedMustVisits'] {
  const { mustVisit } = context;
  if (!mustVisit)
    return { known: false, reason: context.unknownBecause ?? 'the must-visit list was not given' };
  const visited = new Set(schedule.days.flatMap((d) => d.stops.map((s) => s.placeId)));
  const leftOut = new Map(schedule.leftOut.map((l) => [l.placeId, l.reason]));
  return {
    known: true,
    places: mustVisit
      .filter((id) => !visited.has(id))
      .map((placeId) => ({ placeId, reason: leftOut.get(placeId) ?? 'not_in_schedule' })),
  };
}

function clock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
