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
    await Promise.all(
      [...byUser].map(([userId, places]) =>
        this.redis
          .multi()
          .sadd(Keys.visited(userId), ...places)
          .expire(Keys.visited(userId), VISITED_TTL_SECONDS)
          .exec(),
      ),
    );
  }

  async of(userId: string): Promise<Set<string>> {
    return new Set(await this.redis.smembers(Keys.visited(userId)));
  }
}
