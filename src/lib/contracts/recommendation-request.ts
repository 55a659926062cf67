import { z } from 'zod';
import type { FieldIssue } from '../errors/app-errors';
import { CONTRACT_PARSE_PARAMS, entityIdField as id, jobIdField, schemaVersionField } from './common-fields';
import { toFieldIssues } from './field-issues';
import { parseJobBody, type JobParseResult } from './job-contract';

/** The ai-recommendation message / POST /api/jobs/recommendation body version this service speaks. */
export const RECOMMENDATION_REQUEST_SCHEMA_VERSION = 1;

/** Recommendation types and the model that serves each (the model registry's name). */
export const RECOMMENDATION_MODELS = { places: 'place-recommender' } as const;
export type RecommendationType = keyof typeof RECOMMENDATION_MODELS;
const TYPES = Object.keys(RECOMMENDATION_MODELS) as [RecommendationType, ...RecommendationType[]];

export const DEFAULT_RECOMMENDATION_COUNT = 10;
/** The most a list holds; lists are computed and cached at this length and cut to `k` when served. */
export const MAX_RECOMMENDATION_COUNT = 50;

/** The fields a list is asked for by, shared by the HTTP query and the queue message. */
const listFields = {
  userId: id,
  destination: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  type: z.enum(TYPES, { message: `must be one of ${TYPES.join(', ')}` }).default('places'),
  k: z
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_RECOMMENDATION_COUNT, `must be at most ${MAX_RECOMMENDATION_COUNT}`)
    .default(DEFAULT_RECOMMENDATION_COUNT),
};

const recommendationRequest = z.strictObject({
  schemaVersion: schemaVersionField(RECOMMENDATION_REQUEST_SCHEMA_VERSION),
  jobId: jobIdField.optional(),
  ...listFields,
});

export type RecommendationRequest = z.output<typeof recommendationRequest> & { jobId: string };
export type ListQuery = Pick<RecommendationRequest, 'userId' | 'destination' | 'type' | 'k'>;

export function parseRecommendationRequest(
  body: unknown,
  newJobId?: () => string,
): JobParseResult<RecommendationRequest> {
  return parseJobBody(recommendationRequest, RECOMMENDATION_REQUEST_SCHEMA_VERSION, body, newJobId);
}

const listQuery = z.strictObject(listFields);

/** GET /api/users/{userId}/recommendations?destination=&type=&k= (k arrives as text). */
export function parseListQuery(
  userId: string,
  query: URLSearchParams,
): { ok: true; value: ListQuery } | { ok: false; issues: FieldIssue[] } {
  const raw: Record<string, unknown> = { userId };
  for (const [name, value] of query) {
    if (name in raw) return { ok: false, issues: [{ path: name, message: 'is given more than once' }] };
    raw[name] = name === 'k' && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  if (raw.destination === undefined)
    return { ok: false, issues: [{ path: 'destination', message: 'is required' }] };
  const parsed = listQuery.safeParse(raw, CONTRACT_PARSE_PARAMS);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, issues: toFieldIssues(parsed.error) };
}
