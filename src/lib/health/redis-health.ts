import type { Redis } from 'ioredis';
import { masterNodes, type RedisClient } from '../redis/client-factory';
import { REDIS_ALERT_THRESHOLDS } from './alert-thresholds';

export interface NodeHealth {
  node: string;
  pingMs: number;
  usedMemoryBytes: number;
  maxMemoryBytes: number;
  memoryPercent: number | null;
  connectedClients: number;
  opsPerSecond: number;
}

export interface RedisHealth {
  healthy: boolean;
  nodes: NodeHealth[];
  /** Each breached threshold, in words, naming the node. */
  warnings: string[];
}

/** PING and INFO on every master (one node when standalone), judged against the guide's thresholds. */
export async function checkRedisHealth(client: RedisClient): Promise<RedisHealth> {
  const nodes = masterNodes(client);
  const results = await Promise.all(nodes.map(nodeHealth));
  const warnings = results.flatMap((n) => {
    const found: string[] = [];
    if (n.memoryPercent !== null && n.memoryPercent > REDIS_ALERT_THRESHOLDS.memoryPercent) {
      found.push(
        `${n.node}: memory ${n.memoryPercent.toFixed(1)} % > ${REDIS_ALERT_THRESHOLDS.memoryPercent} %`,
      );
    }
    if (n.connectedClients > REDIS_ALERT_THRESHOLDS.connectedClients) {
      found.push(`${n.node}: ${n.connectedClients} clients > ${REDIS_ALERT_THRESHOLDS.connectedClients}`);
    }
    if (n.opsPerSecond > REDIS_ALERT_THRESHOLDS.operationsPerSecond) {
      found.push(`${n.node}: ${n.opsPerSecond} ops/s > ${REDIS_ALERT_THRESHOLDS.operationsPerSecond}`);
    }
    return found;
  });
  return { healthy: warnings.length === 0, nodes: results, warnings };
}

async function nodeHealth(node: Redis): Promise<NodeHealth> {
  const started = process.hrtime.bigint();
  await node.ping();
  const pingMs = Number(process.hrtime.bigint() - started) / 1e6;
  const info = parseInfo(await node.info());
  const used = Number(info.used_memory ?? 0);
  const max = Number(info.maxmemory ?? 0);
  return {
    node: `${node.options.host ?? 'localhost'}:${node.options.port ?? 6379}`,
    pingMs,
    usedMemoryBytes: used,
    maxMemoryBytes: max,
    // maxmemory 0 means "no limit" (local Redis): there is no percentage to judge.
    memoryPercent: max > 0 ? (used / max) * 100 : null,
    connectedClients: Number(info.connected_clients ?? 0),
    opsPerSecond: Number(info.instantaneous_ops_per_sec ?? 0),
  };
}

function parseInfo(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) values[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return values;
}
