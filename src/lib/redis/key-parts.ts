/**
 * Rules for the ids that go into key and channel names. A brace would break the cluster hash tag,
 * whitespace and control characters make names that other tools mishandle, and unbounded length
 * wastes memory on every key of the job.
 */
export const JOB_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
// \p{Cc}: control characters; \s: whitespace; braces would break the hash tag.
const KEY_PART_PATTERN = /^[^\s{}\p{Cc}]{1,128}$/u;

export class InvalidIdError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field} ${reason}`);
    this.name = 'InvalidIdError';
  }
}

export function jobIdProblem(jobId: unknown): string | undefined {
  if (typeof jobId !== 'string') return 'must be a string';
  if (jobId.length === 0) return 'must not be empty';
  if (jobId.length > 128) return `must be at most 128 characters (got ${jobId.length})`;
  if (!JOB_ID_PATTERN.test(jobId))
    return 'may only contain letters, digits and _ . : - (no braces or whitespace)';
  return undefined;
}

export function assertJobId(jobId: string): string {
  const problem = jobIdProblem(jobId);
  if (problem) throw new InvalidIdError('jobId', problem);
  return jobId;
}

export function assertKeyPart(field: string, value: string): string {
  if (typeof value !== 'string' || !KEY_PART_PATTERN.test(value)) {
    throw new InvalidIdError(field, 'must be 1-128 characters without whitespace or braces');
  }
  return value;
}
