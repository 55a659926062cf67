import type { Interaction } from '../contracts/interaction';
import type { RedisClient } from '../redis/client-factory';
import { Keys } from '../redis/keys';

/** How long a user's visited set lives after their last visit (a trip's places stay excluded for a season). */
export const VISITED_TTL_SECONDS = 180 * 86400;

/**
 * The places each user visited, kept in Redis (`ai:visited:{userId}`) by POST /api/interactions, so
 * serving can leave them out with one SMEMBERS. The interaction log in Blob remains the record.
 */
export class VisitedPlaces {
  constructor(private readonly redis: RedisClient) {}

  async record(rows: ReadonlyArray<Pick<Interaction, 'userId' | 'placeId' | 'action'>>): Promise<void> {
    const byUser = new Map<string, string[]>();
    for (const row of rows) {
      if (row.action !== 'visit') continue;
      byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.placeId]);
    }
    // Each user's key is its own slot on the cluster: one small pipeline per user.
    const expiresAtMs = Date.now() + VISITED_TTL_SECONDS * 1000;
    await Promise.all(
      [...byUser].map(([userId, places]) => addVisits(this.redis, userId, places, expiresAtMs)),
    );
  }

  async of(userId: string): Promise<Set<string>> {
    return new Set(await this.redis.smembers(Keys.visited(userId)));
  }
}

/** Adds places to a user's visited set and sets when the set expires (one transaction, one slot). */
export async function addVisits(
  redis: RedisClient,
  userId: string,
  places: Iterable<string>,
  expiresAtMs: number,
): Promise<void> {
  await redis
    .multi()
    .sadd(Keys.visited(userId), ...places)
    .pexpireat(Keys.visited(userId), expiresAtMs)
    .exec();
}
