import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, isPortFree } from './free-port';
import { waitForRedisProcess } from './redis-probe';
import { startOnFreePort, type StartedServer } from './start-on-free-port';

/**
 * Private redis-server processes for tests, benchmarks and `npm run dev`: on free loopback ports,
 * in a temporary directory, persisting nothing, stopped by `stop()`. Never the machine's own Redis.
 */
export interface RedisProcessHandle {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface RedisClusterNode {
  host: string;
  port: number;
}

export interface RedisClusterHandle {
  /** Seed nodes as host:port, every master. */
  readonly nodes: RedisClusterNode[];
  /** The replicas (one per master when started with `replicasPerMaster: 1`). */
  readonly replicas: RedisClusterNode[];
  /** Process ids of every node, masters and replicas. */
  readonly pids: number[];
  stop(): Promise<void>;
}

export interface RedisClusterOptions {
  masters?: number;
  replicasPerMaster?: number;
}

export const INSTALL_HINT =
  'redis-server was not found on the PATH. Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`; ' +
  'macOS: `brew install redis`) and run again.';

export function redisServerAvailable(): boolean {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return probe.status === 0;
}

function assertRedisServer(): void {
  if (!redisServerAvailable()) throw new Error(INSTALL_HINT);
}

export function launch(port: number, dir: string, extraArgs: string[]): ChildProcess {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...extraArgs,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.setEncoding('utf8');
  return child;
}

/** One redis-server on a free port, retried on a new port when the chosen one is taken meanwhile. */
function startNode(label: string, dir: string, extraArgs: string[], pickPort: () => Promise<number>) {
  return startOnFreePort({
    label,
    pickPort,
    spawnOn: (port) => launch(port, dir, extraArgs),
    ready: (port, child) => waitForRedisProcess(port, child, 10_000),
  });
}

export async function startRedisServer(): Promise<RedisProcessHandle> {
  assertRedisServer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-standalone-'));
  const server = await startNode('redis-server', dir, [], freePort).catch((error: unknown) => {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: `redis://127.0.0.1:${server.port}`,
    port: server.port,
    pid: server.child.pid!,
    async stop() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port whose cluster bus port (port + 10000) is free too. */
export async function clusterPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 35000);
    if (taken.has(port)) continue;
    if ((await isPortFree(port)) && (await isPortFree(port + 10000))) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port pair for a Redis Cluster node');
}

/**
 * A Redis Cluster like a 6-shard Premium cache: `masters` masters (6) and `replicasPerMaster` replicas
 * each (0 unless asked; failover tests need 1), joined with `redis-cli --cluster create`. A node whose
 * port (or bus port) is taken meanwhile is restarted on another; if creating the cluster still fails
 * (a node died after answering), the whole cluster is started again on new ports, up to 3 times.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisClusterHandle> {
  assertRedisServer();
  const failures: string[] = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await startClusterOnce(options.masters ?? 6, options.replicasPerMaster ?? 0);
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  throw new Error(`could not start a Redis Cluster after 3 attempts:\n${failures.join('\n')}`);
}

async function startClusterOnce(masters: number, replicasPerMaster: number): Promise<RedisClusterHandle> {
  const total = masters * (1 + replicasPerMaster);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-cluster-'));
  const taken = new Set<number>();
  const servers: StartedServer[] = [];
  const stopAll = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const started = await Promise.all(
      Array.from({ length: total }, (_, i) => {
        const nodeDir = path.join(dir, `node-${i}`);
        fs.mkdirSync(nodeDir);
        return startNode(
          'redis-server (cluster node)',
          nodeDir,
          [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '5000',
            // Replicas sync at once instead of waiting 5 s for others to join the same transfer.
            '--repl-diskless-sync-delay',
            '0',
          ],
          () => clusterPort(taken),
        ).then((server) => (servers.push(server), server));
      }),
    );
    const ports = started.map((s) => s.port);
    const create = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        String(replicasPerMaster),
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0)
      throw new Error(`redis-cli --cluster create failed: ${create.stderr || create.stdout}`);
    const roles = await waitForClusterReady(ports, masters, replicasPerMaster, 30_000);
    return {
      nodes: roles.masters.map((port) => ({ host: '127.0.0.1', port })),
      replicas: roles.replicas.map((port) => ({ host: '127.0.0.1', port })),
      pids: started.map((s) => s.child.pid!),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Waits for cluster_state:ok on every node and, with replicas, every replica's link to its master up
 * and every node's view (CLUSTER NODES) showing all the replicas: roles spread by gossip, so a node
 * can still list a just-attached replica as a slotless master after the replica itself says slave.
 */
async function waitForClusterReady(
  ports: number[],
  masters: number,
  replicasPerMaster: number,
  timeoutMs: number,
): Promise<{ masters: number[]; replicas: number[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = ports.map((port) => {
      const cli = (...args: string[]) =>
        spawnSync('redis-cli', ['-p', String(port), ...args], {
          encoding: 'utf8',
          timeout: REDIS_CLI_TIMEOUT_MS,
        }).stdout ?? '';
      const replication = cli('info', 'replication');
      return {
        port,
        ok: cli('cluster', 'info').includes('cluster_state:ok'),
        master: replication.includes('role:master'),
        linked: replication.includes('master_link_status:up'),
        replicasSeen: cli('cluster', 'nodes')
          .split('\n')
          .filter((line) => line.split(' ')[2]?.split(',').includes('slave')).length,
      };
    });
    const masterPorts = state.filter((s) => s.master).map((s) => s.port);
    const replicaPorts = state.filter((s) => !s.master).map((s) => s.port);
    const ready =
      state.every((s) => s.ok && (s.master || s.linked) && s.replicasSeen === masters * replicasPerMaster) &&
      masterPorts.length === masters &&
      replicaPorts.length === masters * replicasPerMaster;
    if (ready) return { masters: masterPorts, replicas: replicaPorts };
    if (Date.now() > deadline)
      throw new Error(`Redis Cluster was not ready within ${timeoutMs} ms: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A redis-cli call blocks the whole process (spawnSync), so none may wait for ever: a server paused
 * by a test (DEBUG SLEEP) or a port taken by something that never answers would hang the run.
 */
const REDIS_CLI_TIMEOUT_MS = 5_000;

/** A server that has not exited this long after SIGTERM is killed. */
const STOP_GRACE_MS = 5_000;

/** Stops one redis-server child (SIGTERM, then SIGKILL after STOP_GRACE_MS) and waits for it to exit. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Waits until one node of a cluster reports cluster_state:ok. */
export async function waitForClusterOk(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info =
      spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], {
        encoding: 'utf8',
        timeout: REDIS_CLI_TIMEOUT_MS,
      }).stdout ?? '';
    if (info.includes('cluster_state:ok')) return;
    if (Date.now() > deadline) throw new Error(`Redis Cluster did not reach cluster_state:ok: ${info}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
