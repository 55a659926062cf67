import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { cacheStats as processStats, type CacheStats } from '../cache/cache-stats';
import type { RedisClient } from '../redis/client-factory';
import { assertKeyPart } from '../redis/key-parts';
import { Keys } from '../redis/keys';
import { PROFILE_SCHEMA_VERSION, type PreferenceProfile } from './profile-types';

/** Where profiles live durably: one blob per user. */
export const PROFILES_CONTAINER = 'ai-profiles';
const CACHE_NAME = 'profile';

export function profileBlobName(userId: string): string {
  return `profiles/${assertKeyPart('userId', userId)}.json`;
}

/**
 * A user's preference profile: durable in Blob Storage (the cache evicts, allkeys-lru), served from
 * Redis (`ai:profile:{userId}`, TTL_PROFILE_SECONDS).
 *
 * - save: blob first, then the cache, so a profile in Redis is always one that is also stored.
 * - get: Redis, else the blob (then re-cached), else undefined ("no analysis yet": HTTP 404).
 *   A re-cache uses SET NX: if an analysis saved a newer profile meanwhile, the reader's older copy
 *   does not overwrite it. A cached value that is not a profile of this version is ignored and the
 *   blob read instead; a blob that is not a readable profile is an error, not "none yet".
 */
export class ProfileStore {
  readonly #container: ContainerClient;
  #containerReady?: Promise<unknown>;

  constructor(
    private readonly redis: RedisClient,
    blobService: BlobServiceClient,
    private readonly ttlSeconds: number,
    private readonly stats: CacheStats = processStats,
  ) {
    this.#container = blobService.getContainerClient(PROFILES_CONTAINER);
  }

  async save(profile: PreferenceProfile): Promise<void> {
    const body = JSON.stringify(profile);
    await this.#ensureContainer();
    await this.#container
      .getBlockBlobClient(profileBlobName(profile.userId))
      .upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/json' } });
    await this.redis.set(Keys.profile(profile.userId), body, 'EX', this.ttlSeconds);
  }

  async get(userId: string): Promise<PreferenceProfile | undefined> {
    const key = Keys.profile(userId);
    const raw = await this.redis.get(key);
    const cached = asProfile(raw, userId);
    this.stats.record(CACHE_NAME, cached ? 'hit' : 'miss');
    if (cached) return cached;
    const text = await this.#readBlob(userId);
    if (text === undefined) return undefined;
    const stored = asProfile(text, userId);
    // A blob that is there but unreadable is not "no profile yet": say so instead of a 404.
    if (!stored)
      throw new Error(
        `the stored profile of ${userId} (${profileBlobName(userId)}) is not a readable profile`,
      );
    if (raw === null) await this.redis.set(key, text, 'EX', this.ttlSeconds, 'NX');
    else await this.redis.set(key, text, 'EX', this.ttlSeconds); // replace the unreadable cached value
    return stored;
  }

  async #readBlob(userId: string): Promise<string | undefined> {
    try {
      return (await this.#container.getBlobClient(profileBlobName(userId)).downloadToBuffer()).toString(
        'utf8',
      );
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404) return undefined; // no blob, or no container yet: no profile yet
      throw error;
    }
  }

  #ensureContainer(): Promise<unknown> {
    this.#containerReady ??= this.#container.createIfNotExists().catch((error: unknown) => {
      this.#containerReady = undefined;
      throw error;
    });
    return this.#containerReady;
  }
}

function asProfile(text: string | null | undefined, userId: string): PreferenceProfile | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<PreferenceProfile>;
    if (value?.schemaVersion === PROFILE_SCHEMA_VERSION && value.userId === userId)
      return value as PreferenceProfile;
  } catch {
    // Not JSON: treated as absent (the blob is the truth; an analysis rewrites both).
  }
  return undefined;
}
