import { PermanentError, ValidationError, toError } from '../../lib/errors/app-errors';

/**
 * What an activity hands back. A permanent failure travels as a value, not a throw, so the host's
 * retry policy (which retries every throw) leaves it alone and the orchestrator fails the job at once.
 */
export type ActivityOutcome<T> =
  { ok: true; value: T } | { ok: false; permanent: true; reason: string; code: string };

/** Runs activity work: permanent errors become an outcome; anything else throws and is retried. */
export async function runActivity<T>(work: () => Promise<T> | T): Promise<ActivityOutcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (thrown) {
    const error = toError(thrown);
    if (error instanceof PermanentError)
      return { ok: false, permanent: true, reason: error.message, code: error.code };
    if (error instanceof ValidationError)
      return { ok: false, permanent: true, reason: error.message, code: 'ValidationFailed' };
    throw error;
  }
}

/** Thrown inside the orchestrator when an activity reports a permanent failure. */
export class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'JobFailure';
  }
}

export function unwrap<T>(outcome: ActivityOutcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw new JobFailure(outcome.code, outcome.reason);
}
