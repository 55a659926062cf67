import type { BlobServiceClient } from '@azure/storage-blob';
import { readInteractions } from '../interactions/interaction-log';
import type { RedisClient } from '../redis/client-factory';
import { Keys } from '../redis/keys';
import { addVisits, VISITED_TTL_SECONDS } from './visited-places';

export interface VisitedRebuild {
  rebuilt: boolean;
  users: number;
  places: number;
}

/** Users whose sets one pipeline refills: bounded, so a big log never builds one huge batch. */
const USERS_PER_BATCH = 500;

/**
 * The visited sets (`ai:visited:{userId}`) live in Redis only, filled as visits are reported; the
 * interaction log in Blob is the record. When Redis loses its data the marker key goes with it, and
 * this puts back every visit of the last VISITED_TTL_SECONDS from the log, each user's set expiring
 * VISITED_TTL_SECONDS after their last visit (as recording a visit does), then sets the marker.
 * With the marker present it reads nothing. (`markerKey` lets tests on a shared Redis use their own.) Safe to run twice or in two processes at once (SADD and
 * the expiry are idempotent); visits recorded meanwhile are merged, not replaced.
 */
export async function ensureVisitedSets(
  redis: RedisClient,
  blobService: BlobServiceClient,
  options: { now?: number; markerKey?: string } = {},
): Promise<VisitedRebuild> {
  const { now = Date.now(), markerKey = Keys.visitedRebuilt } = options;
  if ((await redis.exists(markerKey)) === 1) return { rebuilt: false, users: 0, places: 0 };
  const byUser = new Map<string, { places: Set<string>; lastAt: number }>();
  for await (const row of readInteractions(blobService, {
    from: new Date(now - VISITED_TTL_SECONDS * 1000),
    to: new Date(now + 86400_000), // rows stamped in a time zone ahead of UTC
  })) {
    if (row.action !== 'visit') continue;
    const entry = byUser.get(row.userId) ?? { places: new Set<string>(), lastAt: 0 };
    entry.places.add(row.placeId);
    entry.lastAt = Math.max(entry.lastAt, Date.parse(row.at));
    byUser.set(row.userId, entry);
  }
  const users = [...byUser];
  for (let start = 0; start < users.length; start += USERS_PER_BATCH) {
    await Promise.all(
      users
        .slice(start, start + USERS_PER_BATCH)
        .map(([userId, { places, lastAt }]) =>
          addVisits(redis, userId, places, lastAt + VISITED_TTL_SECONDS * 1000),
        ),
    );
  }
  await redis.set(markerKey, new Date(now).toISOString());
  return { rebuilt: true, users: users.length, places: users.reduce((n, [, u]) => n + u.places.size, 0) };
}
