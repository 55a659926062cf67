import type { AccessToken, TokenCredential } from '@azure/identity';
import {
  MANAGED_REDIS_PORT,
  parseAzureConnectionString,
  parseEntraHost,
} from '../../../src/lib/config/redis-connection';
import { JobStateStore } from '../../../src/lib/jobs/job-state-store';
import { createRedisClient, type ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { ChannelPatterns, Keys } from '../../../src/lib/redis/keys';
import { subscribeToPatterns } from '../../../src/lib/redis/pattern-subscription';
import { startTlsRedisCluster, type TlsRedisHandle } from '../../../tools/redis/tls-redis-process';
import { uniqueId } from '../../rig/redis-targets';

/** Entra ID cannot run here: a credential hands out the token the server's ACL user accepts. */
const credential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({
    token: 'entra-token-1',
    expiresOnTimestamp: Date.now() + 60 * 60_000,
  }),
};

describe('Azure Managed Redis shape: TLS-only OSS cluster endpoint on its own port, Entra ID auth', () => {
  let server: TlsRedisHandle;
  const identity = 'b1f0c9de-0000-4000-8000-00000000a11c'; // the app identity's object id
  const connect = (overrides: Partial<Parameters<typeof createRedisClient>[0]> = {}) =>
    createRedisClient({
      endpoint: parseEntraHost(`${server.host}:${server.port}`, identity),
      cluster: true,
      credential,
      tlsCa: server.ca,
      policy: { connectTimeoutMs: 2000, commandTimeoutMs: 2000 },
      ...overrides,
    });

  beforeAll(async () => {
    server = await startTlsRedisCluster();
    const admin = server.admin();
    await admin.call('ACL', 'SETUSER', identity, 'on', '>entra-token-1', '~*', '&*', '+@all');
    await admin.call('ACL', 'SETUSER', 'default', 'off');
    admin.disconnect();
  }, 30_000);
  afterAll(() => server.stop());

  it('maps each Azure host kind to its TLS port: 10000 for Managed Redis, 6380 for Azure Cache', () => {
    expect(parseEntraHost('tripgen.koreacentral.redis.azure.net', identity).port).toBe(MANAGED_REDIS_PORT);
    expect(parseEntraHost('redis-tripgen-ai-prod.redis.cache.windows.net', identity).port).toBe(6380);
    expect(parseAzureConnectionString('tripgen.koreacentral.redis.azure.net,password=k,ssl=True').port).toBe(
      10000,
    );
    expect(parseAzureConnectionString('c.redis.cache.windows.net,password=k,ssl=True').port).toBe(6380);
  });

  it('checkpoints a job and publishes its channels unchanged: same keys, hash tags, script', async () => {
    expect([6379, 6380, 10000]).not.toContain(server.port);
    const managed = await connect({ connectionName: 'tripgen-ai' });
    const subscriber = await connect();
    try {
      expect(await managed.client.call('ACL', 'WHOAMI')).toBe(identity);
      const jobId = uniqueId('job');
      const received: string[] = [];
      const subscription = await subscribeToPatterns(
        subscriber.client,
        [ChannelPatterns.jobStatus, ChannelPatterns.jobComplete],
        ({ channel }) => received.push(channel),
      );
      const store = new JobStateStore(managed.client, { jobStatus: 3600, jobProgress: 3600 });
      await store.checkpoint(jobId, { userId: 'u1', jobType: 'trip-generation', status: 'queued', seq: 0 });
      await store.checkpoint(jobId, { status: 'completed', progress: 100, seq: 1 });
      expect(await store.getStatus(jobId)).toMatchObject({ jobId, status: 'completed', progress: 100 });
      expect(await managed.client.exists(Keys.jobStatus(jobId), Keys.jobEvents(jobId))).toBe(2);
      expect(Keys.jobStatus(jobId)).toBe(`ai:job:status:{${jobId}}`);
      for (let i = 0; i < 100 && received.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
      expect(received).toEqual([
        `ai:job:status:${jobId}`,
        `ai:job:status:${jobId}`,
        `ai:job:complete:${jobId}`,
      ]);
      await subscription.close();
    } finally {
      await subscriber.close();
      await managed.close();
    }
  });

  it('really is TLS with certificate checks: an untrusted CA or plain TCP does not connect', async () => {
    await expect(connect({ tlsCa: undefined })).rejects.toThrow();
    const plain: ManagedRedisClient | Error = await createRedisClient({
      endpoint: { ...parseEntraHost(`${server.host}:${server.port}`, identity), tls: false },
      cluster: true,
      credential,
      policy: { connectTimeoutMs: 1000, commandTimeoutMs: 1000 },
    }).catch((error: Error) => error);
    expect(plain).toBeInstanceOf(Error);
  });

  it('refuses a token the service does not accept', async () => {
    const wrong: TokenCredential = {
      getToken: async () => ({ token: 'expired', expiresOnTimestamp: Date.now() + 60_000 }),
    };
    await expect(connect({ credential: wrong })).rejects.toThrow();
  });
});
