import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis, { Cluster } from 'ioredis';
import { freePort } from '../../tools/redis/free-port';
import { redisProcessId } from '../../tools/redis/redis-probe';
import { PROCESS_REGISTRY_ENV, isAlive, survivors } from '../../tools/redis/process-registry';
import { startRedisServer } from '../../tools/redis/redis-process';
import { rigClusterNodes, rigClusterReplicas, rigStandaloneUrl } from './rig-env';

describe('test rig', () => {
  it('starts a standalone redis-server', async () => {
    const redis = new Redis(rigStandaloneUrl());
    try {
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });

  it('starts a 6-master Redis Cluster covering every slot, with one linked replica per master', async () => {
    const cluster = new Cluster(rigClusterNodes());
    try {
      const info = await cluster.cluster('INFO');
      expect(info).toContain('cluster_state:ok');
      expect(info).toContain('cluster_slots_assigned:16384');
      expect(info).toContain('cluster_known_nodes:12');
      expect(cluster.nodes('master')).toHaveLength(6);
      const masterIds = new Set(
        ((await cluster.cluster('NODES')) as string)
          .split('\n')
          .filter((line) => line.includes('master'))
          .map((line) => line.split(' ')[0]),
      );
      const replicas = rigClusterReplicas();
      expect(replicas).toHaveLength(6);
      const followed = [];
      for (const { port } of replicas) {
        const replica = new Redis(port, '127.0.0.1');
        const replication = await replica.info('replication');
        replica.disconnect();
        expect(replication).toContain('role:slave');
        expect(replication).toContain('master_link_status:up');
        const myself = ((await cluster.cluster('NODES')) as string)
          .split('\n')
          .find((line) => line.includes(`:${port}@`))!;
        followed.push(myself.split(' ')[3]);
      }
      // Each master has its own replica.
      expect(new Set(followed)).toEqual(masterIds);
    } finally {
      cluster.disconnect();
    }
  });

  it('starts a redis-server on another port when the chosen one is taken meanwhile', async () => {
    // Take ports as another process would, right after the kernel said they were free.
    const squatters: net.Server[] = [];
    const listenOn = async (port: number) => {
      const squatter = net.createServer();
      await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
      squatters.push(squatter);
    };
    const taken = await freePort();
    await listenOn(taken);
    const freePortModule = await import('../../tools/redis/free-port');
    const spy = jest.spyOn(freePortModule, 'freePort').mockResolvedValueOnce(taken);
    const server = await startRedisServer();
    try {
      expect(spy).toHaveBeenCalledTimes(2);
      expect(server.port).not.toBe(taken);
      expect(await redisProcessId(server.port)).toBe(server.pid);
    } finally {
      spy.mockRestore();
      await server.stop();
      for (const s of squatters) s.close();
    }
    expect(isAlive(server.pid)).toBe(false);
  });

  it('records every server it starts in the run registry and removes it when stopped', async () => {
    const dir = process.env[PROCESS_REGISTRY_ENV];
    expect(dir && fs.existsSync(dir)).toBeTruthy();
    const server = await startRedisServer();
    expect(survivors(dir!).map((p) => p.pid)).toContain(server.pid);
    await server.stop();
    expect(survivors(dir!).map((p) => p.pid)).not.toContain(server.pid);
  });

  it('names survivors: registered processes still running', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-check-'));
    fs.writeFileSync(path.join(dir, String(process.pid)), 'this jest worker');
    fs.writeFileSync(path.join(dir, '999999999'), 'long gone');
    expect(survivors(dir)).toEqual([{ pid: process.pid, label: 'this jest worker' }]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
