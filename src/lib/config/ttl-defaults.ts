/**
 * Cache lifetimes from the Redis production guide (requirements/seed-requirements.json `redis.ttlSeconds`,
 * "TTL 최적화"): job status 1 h, schedule 8 h, recommendation 2 h, temporary data 30 min.
 * Progress has no line of its own there; it lives as long as the status it belongs to.
 */
export const TTL_DEFAULT_SECONDS = {
  jobStatus: 3600,
  jobProgress: 3600,
  schedule: 28800,
  recommendation: 7200,
  temporary: 1800,
} as const;

export type TtlName = keyof typeof TTL_DEFAULT_SECONDS;
export type TtlSettings = Record<TtlName, number>;
