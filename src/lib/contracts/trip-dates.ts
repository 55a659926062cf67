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

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Today's date (YYYY-MM-DD) in an IANA time zone. */
export function todayIn(timeZone: string, now: Date): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

export function startDateIssues(request: { startDate: string; timeZone?: string }, now: Date): FieldIssue[] {
  const zone = request.timeZone ?? LATEST_TIME_ZONE;
  const today = todayIn(zone, now);
  if (request.startDate >= today) return [];
  const where = request.timeZone ? `in ${request.timeZone}` : 'anywhere (no timeZone given)';
  return [{ path: 'startDate', message: `is before today (${today} ${where})` }];
}
