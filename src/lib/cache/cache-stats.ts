import { cacheMetrics } from '../telemetry/metrics';

/**
 * Hit and miss counters per cache, read by health checks and telemetry (the guide's target is a
 * recommendation cache hit ratio of 80 % or more).
 */
export interface CacheCounters {
  hits: number;
  misses: number;
  computes: number;
  hitRatio: number;
}

export class CacheStats {
  readonly #counters = new Map<string, { hits: number; misses: number; computes: number }>();

  record(cache: string, event: 'hit' | 'miss' | 'compute'): void {
    if (event !== 'compute') cacheMetrics.record(cache, event);
    const counters = this.#counters.get(cache) ?? { hits: 0, misses: 0, computes: 0 };
    if (event === 'hit') counters.hits++;
    else if (event === 'miss') counters.misses++;
    else counters.computes++;
    this.#counters.set(cache, counters);
  }

  snapshot(): Record<string, CacheCounters> {
    const result: Record<string, CacheCounters> = {};
    for (const [cache, { hits, misses, computes }] of this.#counters) {
      const total = hits + misses;
      result[cache] = { hits, misses, computes, hitRatio: total === 0 ? 0 : hits / total };
    }
    return result;
  }

  reset(): void {
    this.#counters.clear();
  }
}

/** The process-wide counters. */
export const cacheStats = new CacheStats();
