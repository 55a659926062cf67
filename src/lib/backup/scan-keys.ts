import { masterNodes, type RedisClient } from '../redis/client-factory';

/**
 * Every key matching a pattern. SCAN walks one node's keyspace, so a cluster is scanned master by
 * master; keys are yielded in batches as SCAN returns them (never a blocking KEYS).
 */
export async function* scanKeys(client: RedisClient, pattern: string, count = 500): AsyncGenerator<string[]> {
  for (const node of masterNodes(client)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }
}
