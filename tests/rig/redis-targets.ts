import {
  createRedisClient,
  type ManagedRedisClient,
  type RedisClientConfig,
} from '../../src/lib/redis/client-factory';
import { parseRedisUrl } from '../../src/lib/config/redis-connection';
import { rigClusterNodes, rigStandaloneUrl } from './rig-env';

/**
 * The two Redis shapes every job-state, watch and cache test runs against: a standalone server and
 * the 6-master cluster, both started by the global setup, both reached through the real client factory.
 */
export interface RedisTarget {
  name: 'standalone' | 'cluster';
  connect(policy?: RedisClientConfig['policy'], connectionName?: string): Promise<ManagedRedisClient>;
}

export const REDIS_TARGETS: RedisTarget[] = [
  {
    name: 'standalone',
    connect: (policy, connectionName) =>
      createRedisClient({
        endpoint: parseRedisUrl(rigStandaloneUrl()),
        cluster: false,
        policy,
        connectionName,
      }),
  },
  {
    name: 'cluster',
    connect: (policy, connectionName) => {
      const seed = rigClusterNodes()[0]!;
      return createRedisClient({
        endpoint: parseRedisUrl(`redis://${seed.host}:${seed.port}`),
        cluster: true,
        policy,
        connectionName,
      });
    },
  },
];

let counter = 0;
/** Ids unique to this test run and worker, so tests never see each other's keys. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
