import type { ContainerClient } from '@azure/storage-blob';
import type { RedisClient } from '../redis/client-factory';
import { KEY_PREFIX } from '../redis/keys';
import { scanKeys } from './scan-keys';

/** Backups kept this long (the Redis guide: 보존 기간 7일). */
export const BACKUP_RETENTION_DAYS = 7;
export const BACKUP_CONTAINER = 'ai-cache-backups';
const SCHEDULE_PATTERN = `${KEY_PREFIX}:schedule:*`;

interface BackupLine {
  key: string;
  /** Remaining time to live when backed up; restored as is, so a restore never extends a schedule's life. */
  ttlMs: number;
  value: string;
}

/**
 * Copies every cached trip schedule (with its remaining TTL) into one JSON-lines blob, then deletes
 * backups past the retention. Azure's RDB snapshots restore the whole cache; this restores the
 * schedules alone, into any cache, without support tickets.
 */
export async function backupSchedules(
  redis: RedisClient,
  container: ContainerClient,
  now: Date,
): Promise<{ blobName: string; schedules: number; pruned: number }> {
  await container.createIfNotExists();
  const lines: string[] = [];
  for await (const keys of scanKeys(redis, SCHEDULE_PATTERN)) {
    for (const key of keys) {
      // One key at a time: in a cluster a multi-key command would span slots.
      const [value, ttlMs] = await Promise.all([redis.get(key), redis.pttl(key)]);
      if (value !== null && ttlMs > 0) lines.push(JSON.stringify({ key, ttlMs, value } satisfies BackupLine));
    }
  }
  const blobName = `schedules/${now.toISOString().replace(/[:.]/g, '-')}.jsonl`;
  const body = lines.join('\n');
  await container.getBlockBlobClient(blobName).upload(body, Buffer.byteLength(body), {
    blobHTTPHeaders: { blobContentType: 'application/x-ndjson' },
  });
  const pruned = await pruneBackups(container, now);
  return { blobName, schedules: lines.length, pruned };
}

export async function pruneBackups(container: ContainerClient, now: Date): Promise<number> {
  const cutoff = now.getTime() - BACKUP_RETENTION_DAYS * 24 * 3600_000;
  let pruned = 0;
  for await (const blob of container.listBlobsFlat({ prefix: 'schedules/' })) {
    const created = blob.properties.createdOn ?? blob.properties.lastModified;
    if (created.getTime() < cutoff) {
      await container.deleteBlob(blob.name);
      pruned += 1;
    }
  }
  return pruned;
}

/** Writes a backup's schedules back with their remaining TTLs; keys that exist are left alone. */
export async function restoreSchedules(
  redis: RedisClient,
  container: ContainerClient,
  blobName: string,
): Promise<number> {
  const text = (await container.getBlobClient(blobName).downloadToBuffer()).toString('utf8');
  let restored = 0;
  for (const line of text.split('\n').filter(Boolean)) {
    const { key, ttlMs, value } = JSON.parse(line) as BackupLine;
    if ((await redis.set(key, value, 'PX', ttlMs, 'NX')) === 'OK') restored += 1;
  }
  return restored;
}
