import { PACE, PRICE_LEVEL_COST } from '../planner/scoring';
import type { ActiveHours, Budget, BudgetBand, Pace, PaceBand } from './profile-types';

/**
 * The profile's non-category signals, each from counts gathered while streaming the interactions.
 * Days and hours are the sender's local ones, read straight from `at` as written
 * (`2026-05-01T23:30:00+09:00` is 23:30 on 1 May, where the traveller was).
 */
export function localDay(at: string): string {
  return at.slice(0, 10);
}

export function localHour(at: string): number {
  return Number(at.slice(11, 13));
}

/** Fewer days than this say more about one outing than about a habit. */
export const MIN_VISIT_DAYS_FOR_PACE = 2;

/**
 * Typical pace: the median number of distinct places visited per day with visits, banded by the
 * planner's own stops per pace (relaxed up to 4, moderate up to 6, packed beyond), so the band can
 * go straight into a trip request.
 */
export function paceFrom(visitsByDay: Map<string, Set<string>>): Pace {
  const perDay = [...visitsByDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, p]) => p.size);
  if (perDay.length < MIN_VISIT_DAYS_FOR_PACE)
    return {
      band: null,
      reason: `visits on ${perDay.length} day(s) in the window; at least ${MIN_VISIT_DAYS_FOR_PACE} are needed`,
    };
  const stopsPerDay = median(perDay);
  const bands = Object.entries(PACE) as Array<[PaceBand, { maxStops: number }]>;
  const band = bands.find(([, pace]) => stopsPerDay <= pace.maxStops)?.[0] ?? 'packed';
  return { band, stopsPerDay, visitDays: perDay.length, stopsPerDayByDay: perDay };
}

/**
 * Budget band from the price levels (0-4) of the places the user visited: mean below 1.5 is
 * budget, below 2.5 moderate, else premium. Needs a catalog to know price levels: interactions do
 * not carry them.
 */
export function budgetFrom(priceLevels: number[], catalogGiven: boolean): Budget {
  if (!catalogGiven)
    return { band: null, reason: 'no place catalog was given, so no price levels are known' };
  if (priceLevels.length === 0)
    return { band: null, reason: 'no visited place in the window has a known price level' };
  const average = priceLevels.reduce((s, p) => s + p, 0) / priceLevels.length;
  const band: BudgetBand = average < 1.5 ? 'budget' : average < 2.5 ? 'moderate' : 'premium';
  const spend = priceLevels.reduce((s, p) => s + (PRICE_LEVEL_COST[p] ?? 0), 0) / priceLevels.length;
  return {
    band,
    averagePriceLevel: round(average, 2),
    pricedVisits: priceLevels.length,
    estimatedSpendPerStop: Math.round(spend),
  };
}

export function activeHoursFrom(histogram: number[]): ActiveHours {
  const topHours = histogram
    .map((count, hour) => ({ count, hour }))
    .filter((h) => h.count > 0)
    .sort((a, b) => b.count - a.count || a.hour - b.hour)
    .slice(0, 3)
    .map((h) => h.hour);
  return { histogram: [...histogram], topHours };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
