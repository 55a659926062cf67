import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { backupSchedules, pruneBackups, restoreSchedules } from '../../../src/lib/backup/schedule-backup';
import type { ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { Keys } from '../../../src/lib/redis/keys';
import { startAzuriteBlob, type AzuriteHandle } from '../../rig/azurite';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';

describe.each(REDIS_TARGETS)('schedule backup to Azurite from $name Redis', (target) => {
  let azurite: AzuriteHandle;
  let redis: ManagedRedisClient;
  let container: ContainerClient;

  beforeAll(async () => {
    [azurite, redis] = await Promise.all([startAzuriteBlob(), target.connect()]);
    container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
      uniqueId('backups'),
    );
  });
  afterAll(async () => {
    await Promise.all([redis.close(), azurite.stop()]);
  });

  it('backs up every schedule with its TTL and restores them after a loss', async () => {
    const trips = Array.from({ length: 12 }, () => uniqueId('trip'));
    for (const [i, tripId] of trips.entries()) {
      await redis.client.set(Keys.schedule(tripId), JSON.stringify({ tripId, day: i }), 'EX', 28800);
    }
    const result = await backupSchedules(redis.client, container, new Date());
    expect(result.schedules).toBeGreaterThanOrEqual(trips.length);

    await Promise.all(trips.map((tripId) => redis.client.del(Keys.schedule(tripId))));
    expect(await restoreSchedules(redis.client, container, result.blobName)).toBeGreaterThanOrEqual(
      trips.length,
    );
    for (const [i, tripId] of trips.entries()) {
      expect(JSON.parse((await redis.client.get(Keys.schedule(tripId)))!)).toEqual({ tripId, day: i });
      const ttl = await redis.client.ttl(Keys.schedule(tripId));
      expect(ttl).toBeGreaterThan(28000);
      expect(ttl).toBeLessThanOrEqual(28800);
    }
  });

  it('keeps backups for 7 days, then deletes them', async () => {
    const now = new Date();
    await backupSchedules(redis.client, container, now);
    expect(await pruneBackups(container, new Date(now.getTime() + 6 * 24 * 3600_000))).toBe(0);
    const count = async () => {
      let n = 0;
      for await (const _ of container.listBlobsFlat({ prefix: 'schedules/' })) n += 1;
      return n;
    };
    const before = await count();
    expect(await pruneBackups(container, new Date(now.getTime() + 8 * 24 * 3600_000))).toBe(before);
    expect(await count()).toBe(0);
  });
});
