import type { FieldIssue } from '../errors/app-errors';

/**
 * A trip may not start before today where it happens (issue 12: a 1999 start date was accepted). Checked
 * at the API edge only, with the request's clock: a message already queued is not refused later because
 * midnight passed while it waited.
 *
 * Without a `timeZone` the rule uses the zone where today ends last (UTC-12), so a date that is still
 * today anywhere on Earth is accepted and only dates already past everywhere are refused.
 */
export const LATEST_TIME_ZONE = 'Etc/GMT+12';

/**
 * One date formatter per time zone (YYYY-MM-DD; en-CA formats dates so). Making an Intl.DateTimeFormat
 * costs far more than using one, and every request is validated, in each activity too. Only valid zones
 * are kept, and at most MAX_FORMATTERS of them (names are case-insensitive, so callers could spell one
 * zone many ways): past that, a formatter is made per call as before.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 1000;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    if (formatters.size < MAX_FORMATTERS) formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isTimeZone(name: string): boolean {
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/** Today's date (YYYY-MM-DD) in an IANA time zone. */
export function todayIn(timeZone: string, now: Date): string {
  return formatterFor(timeZone).format(now);
}

export function startDateIssues(request: { startDate: string; timeZone?: string }, now: Date): FieldIssue[] {
  const zone = request.timeZone ?? LATEST_TIME_ZONE;
  const today = todayIn(zone, now);
  if (request.startDate >= today) return [];
  const where = request.timeZone ? `in ${request.timeZone}` : 'anywhere (no timeZone given)';
  return [{ path: 'startDate', message: `is before today (${today} ${where})` }];
}
