import { transientRetry } from '../../../src/orchestrations/shared/retry-policy';

/**
 * The intervals the Durable Task Framework waits between attempts: the first interval times the
 * back-off coefficient to the power of the retry's position, capped by the maximum interval.
 * (The replay test of the orchestration checks the same schedule on the host's virtual clock.)
 */
function azureIntervals(options: ReturnType<typeof transientRetry>): number[] {
  return Array.from({ length: options.maxNumberOfAttempts - 1 }, (_, retry) =>
    Math.min(
      options.firstRetryIntervalInMilliseconds * options.backoffCoefficient ** retry,
      options.maxRetryIntervalInMilliseconds,
    ),
  );
}

describe('transient retry policy', () => {
  it('makes 5 attempts, waiting 2 s, 4 s, 8 s and 16 s between them', () => {
    const options = transientRetry();
    expect(options.maxNumberOfAttempts).toBe(5);
    expect(azureIntervals(options)).toEqual([2_000, 4_000, 8_000, 16_000]);
  });

  it('never waits more than 30 s between attempts and gives up after no more than a minute in all', () => {
    const options = transientRetry();
    expect(options.maxRetryIntervalInMilliseconds).toBe(30_000);
    expect(azureIntervals(options).reduce((a, b) => a + b, 0)).toBe(30_000);
  });
});
