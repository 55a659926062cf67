/**
 * The app's error tree. Where work fails decides what happens next:
 * - ValidationError: bad input; never retried (HTTP 400, dead-letter with the field list).
 * - PermanentError: retrying cannot help (a plan that cannot exist, a missing resource); fails the job.
 * - anything else is treated as transient: retried with back-off by the host.
 */
export interface FieldIssue {
  path: string;
  message: string;
}

export class ValidationError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(`Invalid request: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'ValidationError';
  }
}

export class PermanentError extends Error {
  constructor(
    message: string,
    readonly code = 'PermanentFailure',
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}

/** Unknown throwables (strings, plain objects) become Errors once, at the edges. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(JSON.stringify(thrown));
  } catch {
    return new Error(String(thrown));
  }
}
