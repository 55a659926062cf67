import * as df from 'durable-functions';

/**
 * Transient failures (Redis failover, Service Bus throttling) are retried with exponential back-off:
 * 2 s, 4 s, 8 s, 16 s — five attempts, bounded by 30 s between attempts. Permanent failures do not
 * throw (see activity-outcome.ts), so they are never retried.
 */
export function transientRetry(): df.RetryOptions {
  const options = new df.RetryOptions(2_000, 5);
  options.backoffCoefficient = 2;
  options.maxRetryIntervalInMilliseconds = 30_000;
  return options;
}
