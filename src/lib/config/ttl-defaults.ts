/**
 * Cache lifetimes from the Redis production guide (requirements/seed-requirements.json `redis.ttlSeconds`,
 * "TTL 최적화"): job status 1 h, schedule 8 h, recommendation 2 h, temporary data 30 min.
 * Progress has no line of its own there; it lives as long as the status it belongs to.
 *
 * The preference profile has no line there either. It is only a cache of its blob (the profile is
 * rewritten, blob and cache, by every analysis), so the TTL only decides how long an idle user's
 * profile occupies memory: 24 h keeps a day's active users served from Redis and lets the rest fall
 * back to one blob read.
 */
export const TTL_DEFAULT_SECONDS = {
  jobStatus: 3600,
  jobProgress: 3600,
  schedule: 28800,
  recommendation: 7200,
  temporary: 1800,
  profile: 86400,
} as const;

export type TtlName = keyof typeof TTL_DEFAULT_SECONDS;
export type TtlSettings = Record<TtlName, number>;
