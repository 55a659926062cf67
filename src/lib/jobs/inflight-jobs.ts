import type { RedisClient } from '../redis/client-factory';
import { Keys } from '../redis/keys';

/**
 * The jobs whose orchestration was started and that have not yet been seen finished: what the
 * reconciler sweep (src/orchestrations/kit/reconcile-sweep.ts) walks, so it never scans the keyspace.
 * One sorted set, scored by when the job entered (oldest first). A job leaves when the sweep finds its
 * record finished or gone; nothing else has to remember to remove it, so a crash loses nothing.
 */
export class InflightJobs {
  constructor(private readonly redis: RedisClient) {}

  async add(jobId: string, at: Date = new Date()): Promise<void> {
    // NX: a redelivered message keeps the job's first time.
    await this.redis.zadd(Keys.inflightJobs, 'NX', at.getTime(), jobId);
  }

  /** Up to `limit` jobs, oldest first. */
  async oldest(limit: number): Promise<string[]> {
    return this.redis.zrange(Keys.inflightJobs, 0, limit - 1);
  }

  async forget(jobIds: string[]): Promise<void> {
    if (jobIds.length > 0) await this.redis.zrem(Keys.inflightJobs, ...jobIds);
  }
}
