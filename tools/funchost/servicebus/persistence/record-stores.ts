import fs from 'node:fs/promises';
import path from 'node:path';
import Redis from 'ioredis';
import type { RecordStore } from './journal';

/** All records in one Redis hash (field = record key); a batch is one MULTI of HSET and HDEL. */
export class RedisRecordStore implements RecordStore {
  readonly #redis: Redis;

  constructor(
    url: string,
    private readonly key: string,
  ) {
    this.#redis = new Redis(url, { maxRetriesPerRequest: 3 });
  }

  async loadAll(): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.#redis.hgetall(this.key)));
  }

  async write(changes: Map<string, string | null>): Promise<void> {
    const set: string[] = [];
    const removed: string[] = [];
    for (const [key, value] of changes) {
      if (value === null) removed.push(key);
      else set.push(key, value);
    }
    const multi = this.#redis.multi();
    if (set.length > 0) multi.hset(this.key, ...set);
    if (removed.length > 0) multi.hdel(this.key, ...removed);
    const results = await multi.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  async clear(): Promise<void> {
    await this.#redis.del(this.key);
  }

  async close(): Promise<void> {
    await this.#redis.quit();
  }
}

/**
 * Records in a directory as an append-only log (one JSON line per batch: `[key, value|null][]`),
 * rewritten as one compact line when loaded. A line is appended with one write, so a killed host
 * leaves at most a torn last line, which is skipped (that batch was never acknowledged).
 */
export class FileRecordStore implements RecordStore {
  constructor(private readonly directory: string) {}

  get #file(): string {
    return path.join(this.directory, 'servicebus.log');
  }

  async loadAll(): Promise<Map<string, string>> {
    await fs.mkdir(this.directory, { recursive: true });
    const text = await fs.readFile(this.#file, 'utf8').catch(() => '');
    const records = new Map<string, string>();
    for (const line of text.split('\n')) {
      let batch: Array<[string, string | null]>;
      try {
        batch = JSON.parse(line) as Array<[string, string | null]>;
      } catch {
        continue; // empty or torn
      }
      for (const [key, value] of batch) {
        if (value === null) records.delete(key);
        else records.set(key, value);
      }
    }
    await fs.writeFile(`${this.#file}.tmp`, `${JSON.stringify([...records])}\n`);
    await fs.rename(`${this.#file}.tmp`, this.#file);
    return records;
  }

  async write(changes: Map<string, string | null>): Promise<void> {
    await fs.mkdir(this.directory, { recursive: true });
    await fs.appendFile(this.#file, `\n${JSON.stringify([...changes])}\n`);
  }

  async clear(): Promise<void> {
    await fs.rm(this.#file, { force: true });
  }

  async close(): Promise<void> {}
}
