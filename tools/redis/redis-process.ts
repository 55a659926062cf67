import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, isPortFree, waitForPort } from './free-port';

/**
 * Private redis-server processes for tests, benchmarks and `npm run dev`: on free loopback ports,
 * in a temporary directory, persisting nothing, stopped by `stop()`. Never the machine's own Redis.
 */
export interface RedisProcessHandle {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface RedisClusterHandle {
  /** Seed nodes as host:port, every master. */
  readonly nodes: Array<{ host: string; port: number }>;
  stop(): Promise<void>;
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

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function startRedisServer(): Promise<RedisProcessHandle> {
  assertRedisServer();
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-standalone-'));
  const child = launch(port, dir, []);
  await waitForPort(port, 10_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await stopChild(child);
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

/** Six masters, no replicas, joined with `redis-cli --cluster create`, like a 6-shard Premium cache. */
export async function startRedisCluster(masters = 6): Promise<RedisClusterHandle> {
  assertRedisServer();
  const taken = new Set<number>();
  const ports: number[] = [];
  for (let i = 0; i < masters; i++) ports.push(await clusterPort(taken));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-cluster-'));
  const children = ports.map((port) => {
    const nodeDir = path.join(dir, String(port));
    fs.mkdirSync(nodeDir);
    return launch(port, nodeDir, [
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-node-timeout',
      '5000',
    ]);
  });
  const stopAll = async () => {
    await Promise.all(children.map(stopChild));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(ports.map((port) => waitForPort(port, 10_000)));
    const create = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0)
      throw new Error(`redis-cli --cluster create failed: ${create.stderr || create.stdout}`);
    await waitForClusterOk(ports[0]!, 20_000);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return { nodes: ports.map((port) => ({ host: '127.0.0.1', port })), stop: stopAll };
}

export async function waitForClusterOk(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' });
    if (info.stdout.includes('cluster_state:ok')) return;
    if (Date.now() > deadline)
      throw new Error(`Redis Cluster did not reach cluster_state:ok: ${info.stdout}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
