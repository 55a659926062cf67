import { buildPreferenceProfile, type PreferenceProfile } from '../../../src/lib/analysis/preference-profile';
import { PROFILES_CONTAINER, ProfileStore, profileBlobName } from '../../../src/lib/analysis/profile-store';
import { CacheStats } from '../../../src/lib/cache/cache-stats';
import { TTL_DEFAULT_SECONDS } from '../../../src/lib/config/ttl-defaults';
import type { ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { Keys } from '../../../src/lib/redis/keys';
import { useAzuriteBlob } from '../../rig/azurite';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';

const rig = useAzuriteBlob();

async function profileOf(userId: string, category = 'museum'): Promise<PreferenceProfile> {
  return buildPreferenceProfile(
    [
      {
        userId,
        placeId: 'p1',
        action: 'visit',
        at: '2026-05-01T10:00:00+09:00',
        destination: 'Seoul',
        category,
      },
    ],
    { userId, now: new Date('2026-06-01T00:00:00Z') },
  );
}

describe.each(REDIS_TARGETS)('ProfileStore on $name Redis and Azurite', (target) => {
  let redis: ManagedRedisClient;
  let stats: CacheStats;
  let store: ProfileStore;
  const ttl = TTL_DEFAULT_SECONDS.profile;

  beforeAll(async () => {
    redis = await target.connect();
  });
  afterAll(() => redis.close());
  beforeEach(() => {
    stats = new CacheStats();
    store = new ProfileStore(redis.client, rig.blobService, ttl, stats);
  });

  it('has no profile before the first analysis', async () => {
    expect(await store.get(uniqueId('nobody'))).toBeUndefined();
  });

  it('stores the profile in its blob and caches it with the TTL', async () => {
    const userId = uniqueId('user@x');
    const profile = await profileOf(userId);
    await store.save(profile);
    const blob = await rig.blobService
      .getContainerClient(PROFILES_CONTAINER)
      .getBlobClient(profileBlobName(userId))
      .downloadToBuffer();
    expect(JSON.parse(blob.toString('utf8'))).toEqual(profile);
    expect(JSON.parse((await redis.client.get(Keys.profile(userId)))!)).toEqual(profile);
    const left = await redis.client.ttl(Keys.profile(userId));
    expect(left).toBeGreaterThan(ttl - 10);
    expect(left).toBeLessThanOrEqual(ttl);
    expect(await store.get(userId)).toEqual(profile);
    expect(stats.snapshot().profile).toMatchObject({ hits: 1, misses: 0 });
  });

  it('reads the blob when the cache lost the profile, and caches it again', async () => {
    const userId = uniqueId('user');
    const profile = await profileOf(userId);
    await store.save(profile);
    await redis.client.del(Keys.profile(userId)); // evicted (allkeys-lru) or expired
    expect(await store.get(userId)).toEqual(profile);
    expect(stats.snapshot().profile).toMatchObject({ hits: 0, misses: 1 });
    expect(JSON.parse((await redis.client.get(Keys.profile(userId)))!)).toEqual(profile);
    expect(await redis.client.ttl(Keys.profile(userId))).toBeGreaterThan(ttl - 10);
    expect(await store.get(userId)).toEqual(profile);
    expect(stats.snapshot().profile).toMatchObject({ hits: 1, misses: 1 });
  });

  it('replaces an unreadable cached value from the blob; an unreadable blob is an error, not "none yet"', async () => {
    const userId = uniqueId('user');
    const profile = await profileOf(userId, 'palace');
    await store.save(profile);
    await redis.client.set(Keys.profile(userId), '{"schemaVersion":99}', 'EX', 60);
    expect(await store.get(userId)).toEqual(profile);
    expect(JSON.parse((await redis.client.get(Keys.profile(userId)))!)).toEqual(profile);

    const broken = uniqueId('user');
    await rig.blobService
      .getContainerClient(PROFILES_CONTAINER)
      .getBlockBlobClient(profileBlobName(broken))
      .upload('{', 1);
    await expect(store.get(broken)).rejects.toThrow(/is not a readable profile/);
    await expect(store.get('a b')).rejects.toThrow(/userId/);
  });
});
