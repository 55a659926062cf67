import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitForPort } from '../../tools/redis/free-port';
import { clusterPort, launch, stopChild, waitForClusterOk } from '../../tools/redis/redis-process';

/**
 * A small Redis Cluster with one replica per master, for failover tests: three masters and three
 * replicas joined by `redis-cli --cluster create --cluster-replicas 1`. Its own, started and stopped
 * by the test that uses it, because a failover on the rig's shared cluster would disturb every other
 * test file running at the same time.
 */
export interface FailoverCluster {
  /** Every node, masters and replicas. */
  readonly nodes: Array<{ host: string; port: number }>;
  /** Current role of each node, from CLUSTER NODES on the node itself ('master' | 'slave'). */
  role(port: number): string;
  /** The replica serving the master at `masterPort`. */
  replicaOf(masterPort: number): number;
  stop(): Promise<void>;
}

export async function startFailoverCluster(masters = 3): Promise<FailoverCluster> {
  const taken = new Set<number>();
  const ports: number[] = [];
  for (let i = 0; i < masters * 2; i++) ports.push(await clusterPort(taken));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-failover-'));
  const children: ChildProcess[] = ports.map((port) => {
    const nodeDir = path.join(dir, String(port));
    fs.mkdirSync(nodeDir);
    return launch(port, nodeDir, [
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-node-timeout',
      '2000',
    ]);
  });
  const stop = async () => {
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
        '1',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0)
      throw new Error(`redis-cli --cluster create failed: ${create.stderr || create.stdout}`);
    for (const port of ports) await waitForClusterOk(port, 20_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const myself = (port: number) => {
    const out = cli(port, 'CLUSTER', 'NODES');
    const line = out.split('\n').find((l) => l.includes('myself'));
    if (!line) throw new Error(`CLUSTER NODES on ${port} has no "myself" line: ${out}`);
    const [id, , flags, masterId] = line.split(' ');
    return { id: id!, flags: flags!, masterId: masterId!, all: out };
  };
  return {
    nodes: ports.map((port) => ({ host: '127.0.0.1', port })),
    role: (port) => (myself(port).flags.includes('master') ? 'master' : 'slave'),
    replicaOf(masterPort) {
      const masterId = myself(masterPort).id;
      for (const port of ports) if (myself(port).masterId === masterId) return port;
      throw new Error(`no replica of the master on ${masterPort}`);
    },
    stop,
  };
}

/** One redis-cli command against a node, its output as text. */
export function cli(port: number, ...args: string[]): string {
  const result = spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8', timeout: 10_000 });
  if (result.status !== 0) throw new Error(`redis-cli ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}
