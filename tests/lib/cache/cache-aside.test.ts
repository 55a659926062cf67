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
  it('waits for the value another process is computing, and computes nothing itself', async () => {
    const stats = new CacheStats();
    const cache = new CacheAside<unknown>(redis.client, {
      name: 'schedule',
      ttlSeconds: 60,
      pollIntervalMs: 10,
      stats,
    });
    const key = Keys.schedule(uniqueId('trip'));
    await otherProcess.client.set(Keys.computeLock(key), 'other-process', 'PX', 10_000);
    setTimeout(() => void otherProcess.client.set(key, JSON.stringify({ days: 2 })), 100);
    let calls = 0;
    const result = await cache.getOrCompute(key, async () => {
      calls += 1;
      return { days: 9 };
    });
    expect(result).toEqual({ days: 2 });
    expect(calls).toBe(0);
    expect(stats.snapshot().schedule).toEqual({ hits: 0, misses: 1, computes: 0, hitRatio: 0 });
    // The other process's lock is left for it to release.
    expect(await redis.client.get(Keys.computeLock(key))).toBe('other-process');
  });

  it("looks for the other process's value once per poll interval, not sooner", async () => {
    const cache = new CacheAside<unknown>(redis.client, {
      name: 'schedule',
      ttlSeconds: 60,
      pollIntervalMs: 600,
      stats: new CacheStats(),
    });
    const key = Keys.schedule(uniqueId('trip'));
    await otherProcess.client.set(Keys.computeLock(key), 'other-process', 'PX', 10_000);
    setTimeout(() => void otherProcess.client.set(key, JSON.stringify('theirs')), 50);
    const started = Date.now();
    expect(await cache.getOrCompute(key, async () => 'ours')).toBe('theirs');
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(590);
    expect(waited).toBeLessThan(1_190);
  });

  it('computes anyway once the lock timeout passes, and leaves a lock that is not its own', async () => {
    const cache = new CacheAside<unknown>(redis.client, {
      name: 'schedule',
      ttlSeconds: 60,
      lockTimeoutMs: 300,
      pollIntervalMs: 10,
      stats: new CacheStats(),
    });
    const key = Keys.schedule(uniqueId('trip'));
    // A process that took the lock and died before writing the value (its lock outlives our timeout).
    await otherProcess.client.set(Keys.computeLock(key), 'dead-process', 'PX', 10_000);
    const started = Date.now();
    const result = await cache.getOrCompute(key, async () => ({ days: 4 }));
    const waited = Date.now() - started;
    expect(result).toEqual({ days: 4 });
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(5_000);
    expect(JSON.parse((await redis.client.get(key))!)).toEqual({ days: 4 });
    expect(await redis.client.get(Keys.computeLock(key))).toBe('dead-process');
  });

  it('holds the compute lock for the lock timeout (30 s unless set) while computing, then releases it', async () => {
    for (const [lockTimeoutMs, expected] of [
      [undefined, 30_000],
      [5_000, 5_000],
    ] as const) {
      const cache = new CacheAside<unknown>(redis.client, {
        name: 'schedule',
        ttlSeconds: 60,
        lockTimeoutMs,
        stats: new CacheStats(),
      });
      const key = Keys.schedule(uniqueId('trip'));
      let lockTtl = -10;
      let lockValue: string | null = null;
      await cache.getOrCompute(key, async () => {
        lockTtl = await otherProcess.client.pttl(Keys.computeLock(key));
        lockValue = await otherProcess.client.get(Keys.computeLock(key));
        return 'v';
      });
      expect(lockTtl).toBeGreaterThan(expected - 2_000);
      expect(lockTtl).toBeLessThanOrEqual(expected);
      expect(lockValue).toMatch(/^[0-9a-f-]{36}$/);
      expect(await redis.client.exists(Keys.computeLock(key))).toBe(0);
    }
  });

  it('get reads a hit or a miss (counted), set stores with the TTL, invalidate removes the value', async () => {
    const stats = new CacheStats();
    const cache = new CacheAside<{ n: number }>(redis.client, {
      name: 'recommendation',
      ttlSeconds: 120,
      stats,
    });
    const key = Keys.recommendation(uniqueId('user'), 'places');
    expect(await cache.get(key)).toBeUndefined();
    await cache.set(key, { n: 1 });
    const ttl = await redis.client.ttl(key);
    expect(ttl).toBeGreaterThan(110);
    expect(ttl).toBeLessThanOrEqual(120);
    expect(await cache.get(key)).toEqual({ n: 1 });
    await cache.invalidate(key);
    expect(await redis.client.exists(key)).toBe(0);
    expect(await cache.get(key)).toBeUndefined();
    expect(stats.snapshot().recommendation).toEqual({ hits: 1, misses: 2, computes: 0, hitRatio: 1 / 3 });
  });
});
