import { masterNodes, type ManagedRedisClient } from '../../src/lib/redis/client-factory';

/**
 * Drops the subscriber connections that carry `connectionName`, on every master the admin client knows.
 * By name, because test files run in parallel against the same servers and must not cut each other's.
 */
export function killPubSubConnections(admin: ManagedRedisClient, connectionName: string): Promise<number> {
  return killConnections(admin, connectionName, 'pubsub');
}

/** CLIENT KILL for every connection of the given type (`normal` = command connections) named `connectionName`. */
export async function killConnections(
  admin: ManagedRedisClient,
  connectionName: string,
  type: 'normal' | 'pubsub',
): Promise<number> {
  let killed = 0;
  for (const node of masterNodes(admin.client)) {
    const list = (await node.call('CLIENT', 'LIST', 'TYPE', type)) as string;
    for (const line of list.split('\n')) {
      const fields = Object.fromEntries(line.split(' ').map((kv) => kv.split('=') as [string, string]));
      // ioredis names a cluster's subscriber connection "ioredis-cluster(subscriber):<name>".
      if (fields.id && (fields.name === connectionName || fields.name?.endsWith(`:${connectionName}`))) {
        killed += Number(await node.call('CLIENT', 'KILL', 'ID', fields.id));
      }
    }
  }
  return killed;
}
