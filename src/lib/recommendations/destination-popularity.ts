import type { BlobServiceClient } from '@azure/storage-blob';
import { destinationKey } from '../contracts/catalog';
import { readInteractions } from '../interactions/interaction-log';
import { actionWeight, DEFAULT_CONFIDENCE_WEIGHTS } from '../models/confidence-weights';

/** How far back popularity looks, and how long one destination's counts are reused in a process. */
export const POPULARITY_WINDOW_DAYS = 30;
export const POPULARITY_CACHE_MS = 10 * 60_000;

/**
 * The last fallback's ranking: per place of a destination, how many distinct users liked it (their
 * summed action weights positive, as popularity.ts counts for the model baseline) over the last
 * POPULARITY_WINDOW_DAYS of the interaction log. Read once per destination per POPULARITY_CACHE_MS
 * in a process (a read lists one blob prefix per day), concurrent readers sharing one read.
 */
export class DestinationPopularity {
  readonly #cache = new Map<string, { at: number; likes: Promise<Map<string, number>> }>();

  constructor(
    private readonly blobService: () => BlobServiceClient,
    private readonly now: () => number = Date.now,
  ) {}

  likesIn(destination: string): Promise<Map<string, number>> {
    const now = this.now();
    const key = destinationKey(destination);
    const cached = this.#cache.get(key);
    if (cached && now - cached.at < POPULARITY_CACHE_MS) return cached.likes;
    const likes = this.#count(destination, now);
    likes.catch(() => this.#cache.delete(key));
    this.#cache.set(key, { at: now, likes });
    return likes;
  }

  async #count(destination: string, now: number): Promise<Map<string, number>> {
    const sums = new Map<string, Map<string, number>>(); // place -> user -> summed weight
    for await (const row of readInteractions(this.blobService(), {
      from: new Date(now - POPULARITY_WINDOW_DAYS * 86400_000),
      to: new Date(now + 86400_000), // rows stamped in a time zone ahead of UTC
    })) {
      // Destinations compare as the catalog compares them (trimmed, NFC, case-insensitive).
      if (destinationKey(row.destination) !== destinationKey(destination)) continue;
      const users = sums.get(row.placeId) ?? new Map<string, number>();
      users.set(row.userId, (users.get(row.userId) ?? 0) + actionWeight(row, DEFAULT_CONFIDENCE_WEIGHTS));
      sums.set(row.placeId, users);
    }
    const likes = new Map<string, number>();
    for (const [placeId, users] of sums) {
      let n = 0;
      for (const weight of users.values()) if (weight > 0) n += 1;
      likes.set(placeId, n);
    }
    return likes;
  }
}
