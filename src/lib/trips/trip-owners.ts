import type { Cluster, Redis } from 'ioredis';
import { Keys } from '../redis/keys';

export type TripClaim = { ok: true } | { ok: false; owner: string };

/**
 * Who a trip belongs to, so one user's request cannot replace another user's cached schedule (issue 12):
 * the first job for a trip claims it for its user with SET NX; a later job of another user for the same
 * tripId is refused (409) before anything is queued. The owner key outlives the schedule it guards
 * (schedule TTL + the longest a job may run before writing it), and every claim by its owner renews it.
 */
export class TripOwners {
  constructor(
    private readonly redis: Redis | Cluster,
    /** Seconds the claim lives: the schedule TTL plus the maximum processing time. */
    private readonly ttlSeconds: number,
  ) {}

  /** Claims `tripId` for `userId`, or says who owns it. Idempotent for the owner (and renews the claim). */
  async claim(tripId: string, userId: string): Promise<TripClaim> {
    const key = Keys.tripOwner(tripId);
    const set = await this.redis.set(key, userId, 'EX', this.ttlSeconds, 'NX');
    if (set === 'OK') return { ok: true };
    const owner = await this.redis.get(key);
    // Expired between the two commands: try once more (the SET NX decides between racing claims).
    if (owner === null) return this.claim(tripId, userId);
    if (owner !== userId) return { ok: false, owner };
    await this.redis.expire(key, this.ttlSeconds);
    return { ok: true };
  }

  /** The trip's owner, or undefined when it was never claimed (or its claim expired). */
  async ownerOf(tripId: string): Promise<string | undefined> {
    return (await this.redis.get(Keys.tripOwner(tripId))) ?? undefined;
  }
}
