import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../redis/client-factory';
import { Keys } from '../redis/keys';
import { cacheStats as processStats, type CacheStats } from './cache-stats';

export interface CacheAsideOptions {
  /** Name the counters are kept under ("schedule", "recommendation"). */
  name: string;
  ttlSeconds: number;
  /** How long another process may hold the compute lock before we compute anyway. */
  lockTimeoutMs?: number;
  pollIntervalMs?: number;
  stats?: CacheStats;
}

/**
 * Get-or-compute over Redis with single flight: concurrent misses for one key compute once — in this
 * process through a shared promise, across processes through a short lock key beside the value
 * (same hash tag, so the same cluster slot); the others wait for the value to appear.
 */
export class CacheAside<T> {
  readonly #inFlight = new Map<string, Promise<T>>();
  readonly #stats: CacheStats;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: CacheAsideOptions,
  ) {
    this.#stats = options.stats ?? processStats;
  }

  async get(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(key);
    this.#stats.record(this.options.name, raw === null ? 'miss' : 'hit');
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async set(key: string, value: T): Promise<void> {
    await this.redis.set(key, JSON.stringify(value), 'EX', this.options.ttlSeconds);
  }

  async invalidate(key: string): Promise<void> {
    await this.redis.del(key);
  }

  getOrCompute(key: string, compute: () => Promise<T>): Promise<T> {
    const pending = this.#inFlight.get(key);
    if (pending) {
      this.#stats.record(this.options.name, 'miss');
      return pending;
    }
    const flight = this.#load(key, compute).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, flight);
    return flight;
  }

  async #load(key: string, compute: () => Promise<T>): Promise<T> {
    const cached = await this.get(key);
    if (cached !== undefined) return cached;
    const lockKey = Keys.computeLock(key);
    const token = randomUUID();
    const lockMs = this.options.lockTimeoutMs ?? 30_000;
    const deadline = Date.now() + lockMs;
    while ((await this.redis.set(lockKey, token, 'PX', lockMs, 'NX')) !== 'OK') {
      // Another process is computing this key: wait for its value, or for its lock to lapse.
      await new Promise((r) => setTimeout(r, this.options.pollIntervalMs ?? 25));
      const raw = await this.redis.get(key);
      if (raw !== null) return JSON.parse(raw) as T;
      if (Date.now() > deadline) break;
    }
    try {
      this.#stats.record(this.options.name, 'compute');
      const value = await compute();
      await this.set(key, value);
      return value;
    } finally {
      await this.#release(lockKey, token);
    }
  }

  /** Deletes the lock only if it is still ours (it may have lapsed and been taken by another process). */
  async #release(lockKey: string, token: string): Promise<void> {
    await this.redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
      1,
      lockKey,
      token,
    );
  }
}
