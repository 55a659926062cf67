import Redis, { Cluster } from 'ioredis';
import { rigClusterNodes, rigStandaloneUrl } from './rig-env';

describe('test rig', () => {
  it('starts a standalone redis-server', async () => {
    const redis = new Redis(rigStandaloneUrl());
    try {
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });

  it('starts a 6-master Redis Cluster covering every slot', async () => {
    const cluster = new Cluster(rigClusterNodes());
    try {
      const info = await cluster.cluster('INFO');
      expect(info).toContain('cluster_state:ok');
      expect(info).toContain('cluster_slots_assigned:16384');
      expect(cluster.nodes('master')).toHaveLength(6);
    } finally {
      cluster.disconnect();
    }
  });
});
