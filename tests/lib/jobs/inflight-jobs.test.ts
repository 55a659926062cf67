/**
 * The in-flight job set the reconciler sweep walks (src/lib/jobs/inflight-jobs.ts). On a private
 * redis-server: the set is one key for the whole service, which other files' sweeps on the shared rig
 * read and trim.
 */
import Redis from 'ioredis';
import { InflightJobs } from '../../../src/lib/jobs/inflight-jobs';
import { Keys } from '../../../src/lib/redis/keys';
import { startRedisServer, type RedisProcessHandle } from '../../../tools/redis/redis-process';

describe('in-flight jobs', () => {
  let server: RedisProcessHandle;
  let redis: Redis;
  let inflight: InflightJobs;
  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
    inflight = new InflightJobs(redis);
  });
  afterAll(async () => {
    await redis?.quit();
    await server?.stop();
  });

  it('lists jobs oldest first, up to the limit, keeps a redelivered job at its first time, and forgets', async () => {
    await inflight.add('job-b', new Date(Date.UTC(2026, 0, 1, 10)));
    await inflight.add('job-a', new Date(Date.UTC(2026, 0, 1, 9)));
    await inflight.add('job-c', new Date(Date.UTC(2026, 0, 1, 11)));
    // Redelivered later: must not move behind job-c.
    await inflight.add('job-a', new Date(Date.UTC(2026, 0, 2)));
    expect(await redis.zscore(Keys.inflightJobs, 'job-a')).toBe(String(Date.UTC(2026, 0, 1, 9)));

    expect(await inflight.oldest(2)).toEqual(['job-a', 'job-b']);
    expect(await inflight.oldest(1)).toEqual(['job-a']);
    expect(await inflight.oldest(10)).toEqual(['job-a', 'job-b', 'job-c']);

    await inflight.forget(['job-a', 'job-c']);
    expect(await inflight.oldest(10)).toEqual(['job-b']);
    await inflight.forget([]); // nothing to forget: no command (ZREM with no member is an error)
    expect(await inflight.oldest(10)).toEqual(['job-b']);
  });
});
