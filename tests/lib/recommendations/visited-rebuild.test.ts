import type { Interaction } from '../../../src/lib/contracts/interaction';
import { InteractionLogWriter } from '../../../src/lib/interactions/interaction-log';
import type { ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { Keys } from '../../../src/lib/redis/keys';
import { VISITED_TTL_SECONDS } from '../../../src/lib/recommendations/visited-places';
import { ensureVisitedSets } from '../../../src/lib/recommendations/visited-rebuild';
import { useAzuriteBlob } from '../../rig/azurite';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';

/**
 * After Redis loses its data, the visited sets come back from the interaction log (a private Azurite
 * here, so the log holds exactly what this file wrote), each expiring VISITED_TTL_SECONDS after the
 * user's last visit; with the marker present nothing is read.
 */
const rig = useAzuriteBlob();

const NOW = Date.parse('2026-12-03T12:00:00Z');
const DAY = 86400_000;
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();

describe.each(REDIS_TARGETS)('visited sets rebuilt on $name Redis', (target) => {
  let managed: ManagedRedisClient;
  beforeAll(async () => (managed = await target.connect()));
  afterAll(() => managed?.close());

  it('puts back every recent visit from the log after a loss, then reads nothing while the marker stands', async () => {
    const [u1, u2, u3] = [uniqueId('u1'), uniqueId('u2'), uniqueId('u3')];
    const visit = (userId: string, placeId: string, at: string, action: Interaction['action'] = 'visit') =>
      ({ userId, placeId, at, action, destination: 'Seoul' }) as Interaction;
    await new InteractionLogWriter(rig.blobService, { writerId: uniqueId('w') }).append(uniqueId('call'), [
      visit(u1, 'palace', ago(10)),
      visit(u1, 'market', ago(2)),
      visit(u1, 'museum', ago(1), 'view'), // seen, not visited
      visit(u2, 'tower', ago(VISITED_TTL_SECONDS / 86400 + 5)), // older than a set lives
      visit(u3, 'park', ago(0)),
    ]);
    const redis = managed.client;
    const markerKey = `${Keys.visitedRebuilt}:${uniqueId('test')}`;
    // A visit recorded after the loss, before the rebuild: kept.
    await redis.sadd(Keys.visited(u3), 'beach');

    const first = await ensureVisitedSets(redis, rig.blobService, { now: NOW, markerKey });
    expect(first.rebuilt).toBe(true);
    expect((await redis.smembers(Keys.visited(u1))).sort()).toEqual(['market', 'palace']);
    expect(await redis.exists(Keys.visited(u2))).toBe(0);
    expect((await redis.smembers(Keys.visited(u3))).sort()).toEqual(['beach', 'park']);
    // u1's set expires VISITED_TTL_SECONDS after the last visit (2 days ago), as recording it does.
    expect(await redis.pexpiretime(Keys.visited(u1))).toBe(NOW - 2 * DAY + VISITED_TTL_SECONDS * 1000);
    expect(await redis.get(markerKey)).toBe(new Date(NOW).toISOString());

    await redis.del(Keys.visited(u1));
    expect(await ensureVisitedSets(redis, rig.blobService, { now: NOW, markerKey })).toEqual({
      rebuilt: false,
      users: 0,
      places: 0,
    });
    expect(await redis.exists(Keys.visited(u1))).toBe(0);
    await redis.del(markerKey);
  });
});
