import type { z } from 'zod';
import type { FieldIssue } from '../errors/app-errors';
import { CONTRACT_PARSE_PARAMS, futureVersionIssue, jobIdField } from './common-fields';
import { toFieldIssues } from './field-issues';

export type JobParseResult<T> =
  { ok: true; value: T & { jobId: string } } | { ok: false; issues: FieldIssue[] };

/**
 * How every job contract is applied (API body or queue message): a sender on a newer version is told
 * that one fact; every bad field is reported by path in one result; a missing job id is made by the
 * caller's generator (the API: random; a trigger: from the message id), or is an error without one.
 */
export function parseJobBody<S extends z.ZodType<{ jobId?: string }>>(
  schema: S,
  version: number,
  body: unknown,
  newJobId?: () => string,
): JobParseResult<z.output<S>> {
  const future = futureVersionIssue(body, version);
  if (future.length > 0) return { ok: false, issues: future };
  const parsed = schema.safeParse(body, CONTRACT_PARSE_PARAMS);
  const noJobId = !!body && typeof body === 'object' && (body as { jobId?: unknown }).jobId === undefined;
  const jobIdIssues: FieldIssue[] =
    noJobId && !newJobId ? [{ path: 'jobId', message: 'is required (no job id generator was given)' }] : [];
  if (!parsed.success) return { ok: false, issues: [...toFieldIssues(parsed.error), ...jobIdIssues] };
  if (jobIdIssues.length > 0) return { ok: false, issues: jobIdIssues };
  const jobId = parsed.data.jobId ?? newJobId!();
  if (!jobIdField.safeParse(jobId).success)
    throw new Error(`the job id generator made an invalid id: "${jobId}"`);
  return { ok: true, value: { ...parsed.data, jobId } };
}
