import { CacheAside } from '../../../src/lib/cache/cache-aside';
import { CacheStats } from '../../../src/lib/cache/cache-stats';
import type { ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { Keys } from '../../../src/lib/redis/keys';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';

describe.each(REDIS_TARGETS)('CacheAside on $name Redis', (target) => {
  let redis: ManagedRedisClient;
  let otherProcess: ManagedRedisClient;

  beforeAll(async () => {
    redis = await target.connect();
    otherProcess = await target.connect();
  });
  afterAll(async () => {
    await Promise.all([redis.close(), otherProcess.close()]);
  });

  function slowCompute(value: unknown, calls: { n: number }) {
    return async () => {
      calls.n += 1;
      await new Promise((r) => setTimeout(r, 50));
      return value;
    };
  }

  it('computes once for concurrent misses in one process and caches with the TTL', async () => {
    const stats = new CacheStats();
    const cache = new CacheAside<unknown>(redis.client, { name: 'schedule', ttlSeconds: 28800, stats });
    const key = Keys.schedule(uniqueId('trip'));
    const calls = { n: 0 };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => cache.getOrCompute(key, slowCompute({ days: 3 }, calls))),
    );
    expect(calls.n).toBe(1);
    expect(results).toEqual(Array.from({ length: 10 }, () => ({ days: 3 })));
    const ttl = await redis.client.ttl(key);
    expect(ttl).toBeGreaterThan(28790);
    expect(ttl).toBeLessThanOrEqual(28800);
    expect(await cache.getOrCompute(key, slowCompute('never', calls))).toEqual({ days: 3 });
    expect(calls.n).toBe(1);
    expect(stats.snapshot().schedule).toEqual({ hits: 1, misses: 10, computes: 1, hitRatio: 1 / 11 });
  });

  it('in one process, shares the one computation: every caller gets the computed object itself, at once', async () => {
    // The Redis lock alone also computes once, but then the other callers poll Redis for the value and
    // get parsed copies. With a poll interval longer than the test, only the shared promise passes.
    const cache = new CacheAside<{ days: number }>(redis.client, {
      name: 'schedule',
      ttlSeconds: 60,
      pollIntervalMs: 60_000,
      stats: new CacheStats(),
    });
    const key = Keys.schedule(uniqueId('trip'));
    const computed = { days: 3 };
    let calls = 0;
    const compute = async () => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 50));
      return computed;
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => cache.getOrCompute(key, compute)));
    expect(calls).toBe(1);
    for (const result of results) expect(result).toBe(computed);
  }, 5_000);

  it('computes once across processes (two clients, two caches)', async () => {
    const key = Keys.recommendation(uniqueId('user'), 'places');
    const calls = { n: 0 };
    const a = new CacheAside<unknown>(redis.client, {
      name: 'recommendation',
      ttlSeconds: 7200,
      stats: new CacheStats(),
    });
    const b = new CacheAside<unknown>(otherProcess.client, {
      name: 'recommendation',
      ttlSeconds: 7200,
      stats: new CacheStats(),
    });
    const [fromA, fromB] = await Promise.all([
      a.getOrCompute(key, slowCompute(['p1'], calls)),
      b.getOrCompute(key, slowCompute(['p1'], calls)),
    ]);
    expect(calls.n).toBe(1);
    expect(fromA).toEqual(['p1']);
    expect(fromB).toEqual(['p1']);
    expect(await redis.client.exists(Keys.computeLock(key))).toBe(0);
  });

  it('releases the lock when the computation fails, so the next caller computes', async () => {
    const cache = new CacheAside<unknown>(redis.client, {
      name: 'schedule',
      ttlSeconds: 60,
      stats: new CacheStats(),
    });
    const key = Keys.schedule(uniqueId('trip'));
    await expect(
      cache.getOrCompute(key, async () => Promise.reject(new Error('model down'))),
    ).rejects.toThrow('model down');
    expect(await cache.getOrCompute(key, async () => 'second try')).toBe('second try');
  });
});
