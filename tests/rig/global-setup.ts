import {
  startRedisCluster,
  startRedisServer,
  type RedisClusterHandle,
  type RedisProcessHandle,
} from '../../tools/redis/redis-process';
import { RIG_ENV } from './rig-env';

/** Handles kept on globalThis so global-teardown (same process) can stop them. */
export interface RigHandles {
  standalone: RedisProcessHandle;
  cluster: RedisClusterHandle;
}

declare global {
  var __TEST_RIG__: RigHandles | undefined;
}

export default async function globalSetup(): Promise<void> {
  const [standalone, cluster] = await Promise.all([startRedisServer(), startRedisCluster(6)]);
  globalThis.__TEST_RIG__ = { standalone, cluster };
  process.env[RIG_ENV.standaloneUrl] = standalone.url;
  process.env[RIG_ENV.clusterNodes] = cluster.nodes.map((n) => `${n.host}:${n.port}`).join(',');
}
