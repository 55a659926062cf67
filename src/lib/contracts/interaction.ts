import { z } from 'zod';
import type { FieldIssue } from '../errors/app-errors';
import {
  CONTRACT_PARSE_PARAMS,
  entityIdField,
  futureVersionIssue,
  schemaVersionField,
} from './common-fields';
import { toFieldIssues } from './field-issues';
import type { ParseResult } from './trip-generation-request';

/**
 * What other TripGen services report users doing (`POST /api/interactions`), and the shape each line
 * of the interaction log holds. One interaction is one act of one user on one place.
 */
export const INTERACTION_SCHEMA_VERSION = 1;
/** One call carries at most this many: a day of one busy service's reports fits in a few calls. */
export const MAX_INTERACTIONS_PER_CALL = 10_000;

export const INTERACTION_ACTIONS = [
  'view',
  'save',
  'visit',
  'rate',
  'recommendation_click',
  'recommendation_dismiss',
] as const;
export type InteractionAction = (typeof INTERACTION_ACTIONS)[number];

/**
 * `at` keeps the offset the sender wrote (`2026-05-01T14:30:00+09:00`): the hour and the day in the
 * traveller's own time are what analysis wants (active hours, stops per day), and a UTC conversion
 * would lose them. Comparisons use the instant (Date.parse).
 */
const atField = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time with Z or an offset (2026-05-01T14:30:00+09:00)',
});

export const interactionSchema = z
  .strictObject({
    userId: entityIdField,
    placeId: entityIdField,
    action: z.enum(INTERACTION_ACTIONS, { message: `must be one of ${INTERACTION_ACTIONS.join(', ')}` }),
    rating: z
      .number()
      .int('must be a whole number from 1 to 5')
      .min(1, 'must be from 1 to 5')
      .max(5, 'must be from 1 to 5')
      .optional(),
    at: atField,
    destination: z.string().trim().min(1, 'must not be empty').max(200),
    category: z.string().trim().min(1, 'must not be empty').max(64).optional(),
    recommendationId: entityIdField.optional(),
  })
  .superRefine((row, ctx) => {
    if (row.action === 'rate' && row.rating === undefined)
      ctx.addIssue({ code: 'custom', path: ['rating'], message: 'is required when action is rate (1-5)' });
    if (row.action !== 'rate' && row.rating !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['rating'],
        message: `is only allowed when action is rate (action is ${row.action})`,
      });
  });

export type Interaction = z.output<typeof interactionSchema>;

const callSchema = z.strictObject({
  schemaVersion: schemaVersionField(INTERACTION_SCHEMA_VERSION),
  interactions: z
    .array(interactionSchema)
    .min(1, 'must hold at least one interaction')
    .max(MAX_INTERACTIONS_PER_CALL, `must hold at most ${MAX_INTERACTIONS_PER_CALL} interactions`),
});

export type InteractionCall = z.output<typeof callSchema>;

/**
 * Validates a `POST /api/interactions` body, reporting every bad row by index and field
 * (`interactions[3].rating: is required when action is rate (1-5)`). A call with any bad row is
 * refused whole: the caller fixes and resends it, and nothing half-stored needs finding later.
 */
export function parseInteractionCall(input: unknown): ParseResult<InteractionCall> {
  const future = futureVersionIssue(input, INTERACTION_SCHEMA_VERSION);
  if (future.length > 0) return { ok: false, issues: future };
  // A plain array is what a sender most often gets wrong: say what the body must look like.
  if (Array.isArray(input))
    return { ok: false, issues: [{ path: '', message: 'must be an object {"interactions": [...]}' }] };
  const parsed = callSchema.safeParse(input, CONTRACT_PARSE_PARAMS);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, issues: toFieldIssues(parsed.error) };
}

/** Validates one stored line's interaction (the log reader re-checks what it reads). */
export function parseInteraction(input: unknown): ParseResult<Interaction> {
  const parsed = interactionSchema.safeParse(input, CONTRACT_PARSE_PARAMS);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, issues: toFieldIssues(parsed.error) };
}

export type { FieldIssue };
