import path from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import { Keys } from '../redis/keys';
import { LuaScript } from '../redis/lua-script';

const CLAIM = LuaScript.fromFile(path.join(__dirname, 'commands', 'claim-trip.lua'));

export type TripClaim = { ok: true } | { ok: false; owner: string };

/**
 * Who a trip belongs to, so one user's request cannot replace another user's cached schedule (issue 12):
 * the first job for a trip claims it for its user; a later job of another user for the same
 * tripId is refused (409) before anything is queued. The owner key outlives the schedule it guards
 * (schedule TTL + the longest a job may run before writing it), and every claim by its owner renews it.
 */
export class TripOwners {
  constructor(
    private readonly redis: Redis | Cluster,
    /** Seconds the claim lives: the schedule TTL plus the maximum processing time. */
    private readonly ttlSeconds: number,
  ) {}

  /**
   * Claims `tripId` for `userId`, or says who owns it. Idempotent for the owner (and renews the claim).
   * One script, so one round trip and no window between reading the owner and writing it.
   */
  async claim(tripId: string, userId: string): Promise<TripClaim> {
    const owner = (await CLAIM.run(
      this.redis,
      [Keys.tripOwner(tripId)],
      [userId, String(this.ttlSeconds)],
    )) as string;
    return owner === userId ? { ok: true } : { ok: false, owner };
  }

  /** The trip's owner, or undefined when it was never claimed (or its claim expired). */
  async ownerOf(tripId: string): Promise<string | undefined> {
    return (await this.redis.get(Keys.tripOwner(tripId))) ?? undefined;
  }
}
