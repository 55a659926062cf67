import type { OpeningHours } from '../contracts/trip-generation-request';

/** Weekday names by Date.getUTCDay() (Sunday first), as the contract's opening hours spell them. */
const WEEKDAY_BY_UTC_DAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

export function toHhmm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** The date and weekday of day `index` of a trip starting on `startDate` (YYYY-MM-DD). */
export function tripDay(startDate: string, index: number): { date: string; weekday: string } {
  const date = new Date(`${startDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + index);
  return { date: date.toISOString().slice(0, 10), weekday: WEEKDAY_BY_UTC_DAY[date.getUTCDay()]! };
}

const ALL_DAY: ReadonlyArray<readonly [number, number]> = [[0, 24 * 60]];
/** Parsed intervals per hours object and weekday: route searches ask the same question many times. */
const parsed = new WeakMap<OpeningHours, Map<string, ReadonlyArray<readonly [number, number]>>>();

/**
 * Opening intervals of a place on a weekday, in minutes after midnight. No opening hours at all means
 * open all day; a weekday missing from the hours means closed that day.
 */
export function openIntervals(
  hours: OpeningHours | undefined,
  weekday: string,
): ReadonlyArray<readonly [number, number]> {
  if (!hours) return ALL_DAY;
  let byDay = parsed.get(hours);
  if (!byDay) parsed.set(hours, (byDay = new Map()));
  let intervals = byDay.get(weekday);
  if (!intervals) {
    const day = hours[weekday as keyof OpeningHours] ?? [];
    intervals = day.map(([open, close]) => [toMinutes(open), toMinutes(close)] as const);
    byDay.set(weekday, intervals);
  }
  return intervals;
}

/** The earliest start at or after `arrival` at which a visit of `duration` fits in an opening interval. */
export function earliestVisitStart(
  intervals: ReadonlyArray<readonly [number, number]>,
  arrival: number,
  duration: number,
): number | undefined {
  for (const [open, close] of intervals) {
    const start = Math.max(arrival, open);
    if (start + duration <= close) return start;
  }
  return undefined;
}
