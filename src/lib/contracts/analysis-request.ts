import { z } from 'zod';
import { entityIdField as id, jobIdField, schemaVersionField } from './common-fields';
import { parseJobBody, type JobParseResult } from './job-contract';

/** The ai-analysis message / POST /api/jobs/analysis body version this service speaks. */
export const ANALYSIS_REQUEST_SCHEMA_VERSION = 1;
const version = schemaVersionField(ANALYSIS_REQUEST_SCHEMA_VERSION);

/** The longest window a preference analysis may read (two years of interactions). */
export const MAX_ANALYSIS_WINDOW_DAYS = 730;

const preferences = z.strictObject({
  schemaVersion: version,
  jobId: jobIdField.optional(),
  userId: id,
  analysisType: z.literal('preferences'),
  /** Days of interactions to read, back from now; default 180 (analysis/preference-profile.ts). */
  windowDays: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_ANALYSIS_WINDOW_DAYS, `must be at most ${MAX_ANALYSIS_WINDOW_DAYS}`)
    .optional(),
});

const trip = z.strictObject({
  schemaVersion: version,
  jobId: jobIdField.optional(),
  userId: id,
  analysisType: z.literal('trip'),
  /** A trip whose schedule is cached (GET /api/trips/{tripId}/schedule); it must be the user's. */
  tripId: id,
});

const analysisRequest = z.discriminatedUnion('analysisType', [preferences, trip], {
  error: () => "must be 'preferences' or 'trip'",
});

export type AnalysisRequest = z.output<typeof analysisRequest> & { jobId: string };

export function parseAnalysisRequest(
  body: unknown,
  newJobId?: () => string,
): JobParseResult<AnalysisRequest> {
  return parseJobBody(analysisRequest, ANALYSIS_REQUEST_SCHEMA_VERSION, body, newJobId);
}
