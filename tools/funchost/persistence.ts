import path from 'node:path';
import { openStore, type PersistenceOption } from './durable/persistence';
import type { InstanceStore } from './durable/store';
import type { RecordStore } from './servicebus/persistence/journal';
import { FileRecordStore, RedisRecordStore } from './servicebus/persistence/record-stores';

/**
 * One persistence choice for the whole host: Durable state and the Service Bus emulation's messages
 * go to the same place (the same Redis under the task hub's prefix, or the same directory), so a
 * restarted host finds both. A store of one's own (`{ store }`) covers Durable state only.
 */
export function openPersistence(
  option: PersistenceOption,
  taskHubName: string,
): { durable: InstanceStore; serviceBus?: RecordStore } {
  const durable = openStore(option, taskHubName);
  if ('store' in option) return { durable };
  if ('directory' in option) return { durable, serviceBus: new FileRecordStore(path.join(option.directory)) };
  const prefix = option.keyPrefix ?? `funchost:${taskHubName}:`;
  return { durable, serviceBus: new RedisRecordStore(option.redisUrl, `${prefix}servicebus`) };
}
