import { FileInstanceStore } from './persistence-file';
import { RedisInstanceStore } from './persistence-redis';
import type { InstanceStore } from './store';

/** Where a host keeps Durable state: Redis (a URL and a key prefix), a directory, or a store of one's own. */
export type PersistenceOption =
  { redisUrl: string; keyPrefix?: string } | { directory: string } | { store: InstanceStore };

export function openStore(option: PersistenceOption, taskHubName: string): InstanceStore {
  if ('store' in option) return option.store;
  if ('directory' in option) return new FileInstanceStore(option.directory);
  return new RedisInstanceStore(option.redisUrl, option.keyPrefix ?? `funchost:${taskHubName}:`);
}
