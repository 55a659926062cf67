/**
 * Connection policy from the Redis production guide ("연결 풀링" and "Pub/Sub 최적화"):
 * connect timeout 10 s, read (command) timeout 5 s, reconnect every 5 s, at most 3 retries.
 */
export const REDIS_CONNECTION_POLICY = {
  connectTimeoutMs: 10_000,
  commandTimeoutMs: 5_000,
  reconnectIntervalMs: 5_000,
  maxRetriesPerRequest: 3,
} as const;
