import { z } from 'zod';
import { JOB_ID_PATTERN } from '../redis/key-parts';

/**
 * Field rules every queue contract shares, so a job id or a version is checked the same way on
 * every queue, at the API and in the trigger.
 */

/** The job id goes into Redis keys and channel names: the key builder's rule is the only rule. */
export const jobIdField = z.string().regex(JOB_ID_PATTERN, 'must be 1-128 of A-Za-z0-9_.:-');

/** Ids of users, sessions, trips and places: like job ids, plus `@` (user ids are often e-mails). */
export const entityIdField = z
  .string()
  .regex(/^[A-Za-z0-9_.:@-]{1,128}$/, 'must be 1-128 letters, digits or _ . : @ -');

/**
 * `schemaVersion`: optional, defaults to the current version. A sender on a newer contract is told
 * so plainly instead of having its unknown fields rejected one by one.
 */
export function schemaVersionField(current: number) {
  return z
    .number({ message: `must be a whole number (this service speaks version ${current})` })
    .int(`must be a whole number (this service speaks version ${current})`)
    .min(1, 'must be at least 1')
    .max(current, `is newer than this service understands (it speaks version ${current})`)
    .default(current);
}

/**
 * A message from a newer contract is answered with that one fact: its other fields may well be
 * valid in its own version, so listing them as errors would only mislead.
 */
export function futureVersionIssue(input: unknown, current: number): { path: string; message: string }[] {
  if (!input || typeof input !== 'object' || !('schemaVersion' in input)) return [];
  const version = (input as { schemaVersion: unknown }).schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version <= current) return [];
  return [
    {
      path: 'schemaVersion',
      message: `version ${version} is newer than this service understands (it speaks version ${current}); send version ${current}`,
    },
  ];
}

/**
 * Parse options every contract uses: a missing field reads "is required" rather than zod's
 * "expected number, received undefined". Other messages stay zod's own.
 */
export const CONTRACT_PARSE_PARAMS: z.core.ParseContext<z.core.$ZodIssue> = {
  error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined),
};
