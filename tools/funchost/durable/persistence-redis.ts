import Redis from 'ioredis';
import type { Instance } from './instance';
import type { InstanceStore } from './store';

/**
 * Instance snapshots in Redis: one JSON string per instance under `<prefix>instance:<id>` and the set
 * of ids under `<prefix>instances`, written together in one MULTI so the set never names a missing
 * snapshot. The prefix keeps task hubs (and tests) apart.
 */
export class RedisInstanceStore implements InstanceStore {
  readonly #redis: Redis;
  readonly #ownsClient: boolean;

  constructor(
    connection: string | Redis,
    private readonly prefix = 'funchost:durable:',
  ) {
    this.#ownsClient = typeof connection === 'string';
    this.#redis =
      typeof connection === 'string' ? new Redis(connection, { maxRetriesPerRequest: 3 }) : connection;
  }

  #key(instanceId: string): string {
    return `${this.prefix}instance:${instanceId}`;
  }

  get #index(): string {
    return `${this.prefix}instances`;
  }

  async loadAll(): Promise<Instance[]> {
    const ids = await this.#redis.smembers(this.#index);
    const instances: Instance[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const values = await this.#redis.mget(chunk.map((id) => this.#key(id)));
      for (const value of values) if (value) instances.push(JSON.parse(value) as Instance);
    }
    return instances;
  }

  async write({ save, remove }: { save: Instance[]; remove: string[] }): Promise<void> {
    if (save.length === 0 && remove.length === 0) return;
    const multi = this.#redis.multi();
    for (const instance of save) {
      multi.set(this.#key(instance.instanceId), JSON.stringify(instance));
      multi.sadd(this.#index, instance.instanceId);
    }
    for (const id of remove) {
      multi.del(this.#key(id));
      multi.srem(this.#index, id);
    }
    const results = await multi.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  async clear(): Promise<void> {
    const ids = await this.#redis.smembers(this.#index);
    await this.write({ save: [], remove: ids });
  }

  async close(): Promise<void> {
    if (this.#ownsClient) await this.#redis.quit();
  }
}
