import type { BlobServiceClient } from '@azure/storage-blob';
import { destinationKey } from '../contracts/catalog';
import { readInteractions } from '../interactions/interaction-log';
import { actionWeight, DEFAULT_CONFIDENCE_WEIGHTS } from '../models/confidence-weights';

/** How far back popularity looks, and how long the counts are reused in a process. */
export const POPULARITY_WINDOW_DAYS = 30;
export const POPULARITY_CACHE_MS = 10 * 60_000;

/** Likes per place, per destination (keyed as the catalog keys destinations). */
type LikesByDestination = Map<string, Map<string, number>>;

/**
 * The last fallback's ranking: per place of a destination, how many distinct users liked it (their
 * summed action weights positive, as popularity.ts counts for the model baseline) over the last
 * POPULARITY_WINDOW_DAYS of the interaction log. The log is laid out by day, not by destination, so
 * one read counts every destination at once; it is reused for POPULARITY_CACHE_MS in a process, and
 * concurrent readers share it (a read lists one blob prefix per day and reads the month's lines).
 */
export class DestinationPopularity {
  #cache: { at: number; likes: Promise<LikesByDestination> } | undefined;

  constructor(
    private readonly blobService: () => BlobServiceClient,
    private readonly now: () => number = Date.now,
  ) {}

  async likesIn(destination: string): Promise<Map<string, number>> {
    const now = this.now();
    if (!this.#cache || now - this.#cache.at >= POPULARITY_CACHE_MS) {
      const likes = this.#countAll(now);
      const entry = { at: now, likes };
      // A failed read is not kept: the next caller reads again.
      likes.catch(() => {
        if (this.#cache === entry) this.#cache = undefined;
      });
      this.#cache = entry;
    }
    return (await this.#cache.likes).get(destinationKey(destination)) ?? new Map();
  }

  async #countAll(now: number): Promise<LikesByDestination> {
    // destination -> place -> user -> summed weight
    const sums = new Map<string, Map<string, Map<string, number>>>();
    for await (const row of readInteractions(this.blobService(), {
      from: new Date(now - POPULARITY_WINDOW_DAYS * 86400_000),
      to: new Date(now + 86400_000), // rows stamped in a time zone ahead of UTC
    })) {
      // Destinations compare as the catalog compares them (trimmed, NFC, case-insensitive).
      const key = destinationKey(row.destination);
      const places = sums.get(key) ?? new Map<string, Map<string, number>>();
      sums.set(key, places);
      const users = places.get(row.placeId) ?? new Map<string, number>();
      places.set(row.placeId, users);
      users.set(row.userId, (users.get(row.userId) ?? 0) + actionWeight(row, DEFAULT_CONFIDENCE_WEIGHTS));
    }
    const likes: LikesByDestination = new Map();
    for (const [key, places] of sums) {
      const counts = new Map<string, number>();
      for (const [placeId, users] of places) {
        let n = 0;
        for (const weight of users.values()) if (weight > 0) n += 1;
        counts.set(placeId, n);
      }
      likes.set(key, counts);
    }
    return likes;
  }
}
