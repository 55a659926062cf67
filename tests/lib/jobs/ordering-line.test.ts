import { OrderingLine } from '../../../src/lib/jobs/ordering-line';
import type { ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';

describe.each(REDIS_TARGETS)('ordering line on $name Redis', (target) => {
  let redis: ManagedRedisClient;
  let line: OrderingLine;
  beforeAll(async () => {
    redis = await target.connect();
    line = new OrderingLine(redis.client);
  });
  afterAll(() => redis.close());

  it('gives each job the one that entered before it, per workflow and key', async () => {
    const key = uniqueId('user');
    expect(await line.enter('analysis', key, 'j1')).toBeUndefined();
    expect(await line.enter('analysis', key, 'j2')).toBe('j1');
    expect(await line.enter('analysis', key, 'j3')).toBe('j2');
    // Another key and another workflow have lines of their own.
    expect(await line.enter('analysis', `${key}-b`, 'k1')).toBeUndefined();
    expect(await line.enter('trip-generation', key, 't1')).toBeUndefined();
    expect(await line.nextOf('analysis', key, 'j1')).toBe('j2');
    expect(await line.nextOf('analysis', key, 'j3')).toBeUndefined();
  });

  it('answers a job that enters again (a redelivered message) as the first time, without moving it', async () => {
    const key = uniqueId('user');
    await line.enter('analysis', key, 'a');
    await line.enter('analysis', key, 'b');
    expect(await line.enter('analysis', key, 'a')).toBeUndefined();
    expect(await line.enter('analysis', key, 'b')).toBe('a');
    expect(await line.enter('analysis', key, 'c')).toBe('b');
  });

  it('forgets a job that left, and gives its line keys a TTL', async () => {
    const key = uniqueId('user');
    await line.enter('batch', key, 'x');
    await line.enter('batch', key, 'y');
    await line.leave('batch', key, 'x');
    expect(await line.nextOf('batch', key, 'x')).toBeUndefined();
    const ttl = await redis.client.ttl(`ai:order:{batch:${key}}:last`);
    expect(ttl).toBeGreaterThan(7 * 24 * 3600);
  });
});
