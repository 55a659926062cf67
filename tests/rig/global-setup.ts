import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROCESS_REGISTRY_ENV } from '../../tools/redis/process-registry';
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
  processRegistryDir: string;
}

declare global {
  var __TEST_RIG__: RigHandles | undefined;
}

/**
 * Starts the rig: a standalone redis-server and a 6-shard cluster with one replica per master, and a
 * process registry every server started during the run records itself in (checked at teardown).
 * When the rig's variables are already set (a wrapper such as `npm run test:mutation` started it once
 * for many jest runs), it is reused as is.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env[RIG_ENV.standaloneUrl] && process.env[RIG_ENV.clusterNodes]) return;
  const processRegistryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-processes-'));
  process.env[PROCESS_REGISTRY_ENV] = processRegistryDir;
  const [standalone, cluster] = await Promise.all([
    startRedisServer(),
    startRedisCluster({ masters: 6, replicasPerMaster: 1 }),
  ]);
  globalThis.__TEST_RIG__ = { standalone, cluster, processRegistryDir };
  process.env[RIG_ENV.standaloneUrl] = standalone.url;
  process.env[RIG_ENV.clusterNodes] = cluster.nodes.map((n) => `${n.host}:${n.port}`).join(',');
  process.env[RIG_ENV.clusterReplicas] = cluster.replicas.map((n) => `${n.host}:${n.port}`).join(',');
}
