import { CacheStats, cacheStats } from '../../../src/lib/cache/cache-stats';

describe('CacheStats', () => {
  it('counts hits, misses and computes per cache; the hit ratio is hits over lookups', () => {
    const stats = new CacheStats();
    stats.record('schedule', 'hit');
    stats.record('schedule', 'hit');
    stats.record('schedule', 'hit');
    stats.record('schedule', 'miss');
    stats.record('schedule', 'compute');
    stats.record('recommendation', 'miss');
    expect(stats.snapshot()).toEqual({
      schedule: { hits: 3, misses: 1, computes: 1, hitRatio: 0.75 },
      recommendation: { hits: 0, misses: 1, computes: 0, hitRatio: 0 },
    });
  });

  it('reports a ratio of 0, not NaN, for a cache that only computed', () => {
    const stats = new CacheStats();
    stats.record('schedule', 'compute');
    expect(stats.snapshot()).toEqual({ schedule: { hits: 0, misses: 0, computes: 1, hitRatio: 0 } });
  });

  it('starts empty and reset clears every cache', () => {
    const stats = new CacheStats();
    expect(stats.snapshot()).toEqual({});
    stats.record('schedule', 'hit');
    stats.reset();
    expect(stats.snapshot()).toEqual({});
  });

  it('the process-wide counters are one shared instance', () => {
    expect(cacheStats).toBeInstanceOf(CacheStats);
  });
});
