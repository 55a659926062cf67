import Redis from 'ioredis';
import { checkRedisHealth } from '../../../src/lib/health/redis-health';
import type { ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { startRedisServer } from '../../../tools/redis/redis-process';
import { REDIS_TARGETS } from '../../rig/redis-targets';

describe.each(REDIS_TARGETS)('Redis health on $name Redis', (target) => {
  let redis: ManagedRedisClient;
  beforeAll(async () => {
    redis = await target.connect();
  });
  afterAll(() => redis.close());

  it('reports every master with ping, memory and clients', async () => {
    const health = await checkRedisHealth(redis.client);
    expect(health.nodes).toHaveLength(target.name === 'cluster' ? 6 : 1);
    for (const node of health.nodes) {
      expect(node.pingMs).toBeGreaterThan(0);
      expect(node.usedMemoryBytes).toBeGreaterThan(0);
      expect(node.connectedClients).toBeGreaterThan(0);
    }
  });
});

describe('Redis health thresholds', () => {
  it('warns when memory passes the guide 85 % threshold', async () => {
    // A server of its own: a tight maxmemory on the shared one would fail other tests' writes.
    const server = await startRedisServer();
    const admin = new Redis(server.url);
    try {
      const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
      // A limit just above what is in use: over 85 % full, without evicting anything.
      await admin.config('SET', 'maxmemory', String(Math.ceil(used / 0.9)));
      const health = await checkRedisHealth(admin);
      expect(health.healthy).toBe(false);
      expect(health.warnings[0]).toMatch(/memory \d+\.\d % > 85 %/);
    } finally {
      admin.disconnect();
      await server.stop();
    }
  });
});
