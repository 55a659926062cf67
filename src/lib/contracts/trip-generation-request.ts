import { z } from 'zod';
import type { FieldIssue } from '../errors/app-errors';
import {
  CONTRACT_PARSE_PARAMS,
  entityIdField,
  futureVersionIssue,
  jobIdField,
  schemaVersionField,
} from './common-fields';
import { toFieldIssues } from './field-issues';
import { clockField, placeSchema, pointSchema } from './place-schema';
import { isTimeZone } from './trip-dates';

export { WEEKDAYS, type OpeningHours, type Place, type Weekday } from './place-schema';

/** The ai-trip-generation message version this service speaks (and the default when absent). */
export const TRIP_REQUEST_SCHEMA_VERSION = 1;

const requestSchema = z
  .strictObject({
    schemaVersion: schemaVersionField(TRIP_REQUEST_SCHEMA_VERSION),
    /** Optional on the wire; parseTripGenerationRequest fills it in from the caller's generator. */
    jobId: jobIdField.optional(),
    tripId: entityIdField,
    userId: entityIdField,
    sessionId: entityIdField.optional(),
    destination: z.string().trim().min(1).max(200),
    startDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .refine(isCalendarDate, 'is not a real calendar date'),
    /** IANA zone of the destination; the API refuses a startDate before today there (trip-dates.ts). */
    timeZone: z.string().refine(isTimeZone, 'is not an IANA time zone such as Asia/Seoul').optional(),
    days: z.number().int('must be a whole number').min(1, 'must be at least 1').max(14, 'must be at most 14'),
    dayStart: clockField.default('09:00'),
    dayEnd: clockField.default('21:00'),
    pace: z.enum(['relaxed', 'moderate', 'packed']),
    /**
     * Category -> how much the traveller cares, 0-1. Omitted: the user's stored preference profile
     * (the analysis workflow) supplies them when the job runs; without a profile every category counts
     * the same and ratings decide.
     */
    interests: z.record(z.string().trim().min(1).max(64), z.number().min(0).max(1)).optional(),
    /** Per person per day, in the currency of the price levels (KRW; see planner/scoring.ts). */
    budgetPerDay: z.number().positive().optional(),
    transport: z.enum(['walk', 'transit', 'car']),
    lodging: pointSchema.optional(),
    mustVisit: z.array(entityIdField).max(50).optional(),
    places: z
      .array(placeSchema)
      .min(1, 'must list at least one place')
      .max(500, 'must list at most 500 places'),
  })
  .superRefine((request, ctx) => {
    // Compared only when both are times: a malformed dayStart is reported once, under its own name.
    const bothTimes =
      clockField.safeParse(request.dayStart).success && clockField.safeParse(request.dayEnd).success;
    if (bothTimes && request.dayStart >= request.dayEnd) {
      ctx.addIssue({
        code: 'custom',
        path: ['dayEnd'],
        message: `must be after dayStart (${request.dayStart})`,
      });
    }
    const seen = new Set<string>();
    request.places.forEach((p, i) => {
      if (seen.has(p.id))
        ctx.addIssue({ code: 'custom', path: ['places', i, 'id'], message: `duplicates place id "${p.id}"` });
      seen.add(p.id);
    });
    request.mustVisit?.forEach((placeId, i) => {
      if (!seen.has(placeId))
        ctx.addIssue({
          code: 'custom',
          path: ['mustVisit', i],
          message: `"${placeId}" is not one of the places`,
        });
    });
  });

/** A valid request with its defaults applied: jobId and sessionId are always present. */
export type TripGenerationRequest = z.output<typeof requestSchema> & { jobId: string; sessionId: string };

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

export interface ParseOptions {
  /**
   * Makes a job id for a request that has none. Passed in rather than drawn here, so parsing stays a
   * pure function: the API edge passes a random one, a queue trigger one derived from the message id.
   * Without it, a missing jobId is an error.
   */
  newJobId?: () => string;
}

/**
 * Validates a trip generation request (ai-trip-generation message or POST body), reporting every
 * invalid field by path in one result, and applies the defaults (jobId from the caller's generator,
 * sessionId = userId, 09:00-21:00, schemaVersion 1).
 */
export function parseTripGenerationRequest(
  input: unknown,
  options: ParseOptions = {},
): ParseResult<TripGenerationRequest> {
  const future = futureVersionIssue(input, TRIP_REQUEST_SCHEMA_VERSION);
  if (future.length > 0) return { ok: false, issues: future };
  const parsed = requestSchema.safeParse(input, CONTRACT_PARSE_PARAMS);
  const missingJobId = hasNoJobId(input) && !options.newJobId;
  const jobIdIssues: FieldIssue[] = missingJobId
    ? [{ path: 'jobId', message: 'is required (no job id generator was given)' }]
    : [];
  if (!parsed.success) return { ok: false, issues: [...toFieldIssues(parsed.error), ...jobIdIssues] };
  if (jobIdIssues.length > 0) return { ok: false, issues: jobIdIssues };
  const jobId = parsed.data.jobId ?? generatedJobId(options.newJobId!);
  return {
    ok: true,
    value: { ...parsed.data, jobId, sessionId: parsed.data.sessionId ?? parsed.data.userId },
  };
}

function hasNoJobId(input: unknown): boolean {
  return !!input && typeof input === 'object' && (input as { jobId?: unknown }).jobId === undefined;
}

function generatedJobId(newJobId: () => string): string {
  const jobId = newJobId();
  // A generator making bad ids is a bug here, not a bad request: fail loudly.
  if (!jobIdField.safeParse(jobId).success)
    throw new Error(`the job id generator made an invalid id: "${jobId}"`);
  return jobId;
}

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
