import type { ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { Keys } from '../../../src/lib/redis/keys';
import { TripOwners } from '../../../src/lib/trips/trip-owners';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';

describe.each(REDIS_TARGETS)('trip owners on $name Redis', (target) => {
  let managed: ManagedRedisClient;
  beforeAll(async () => (managed = await target.connect()));
  afterAll(() => managed?.close());

  it('claims a new trip for its user, renews it for the same user, and refuses another user', async () => {
    const tripId = uniqueId('trip');
    const owners = new TripOwners(managed.client, 600);
    expect(await owners.claim(tripId, 'alice')).toEqual({ ok: true });
    expect(await owners.ownerOf(tripId)).toBe('alice');

    await managed.client.expire(Keys.tripOwner(tripId), 5);
    expect(await owners.claim(tripId, 'alice')).toEqual({ ok: true });
    expect(await managed.client.ttl(Keys.tripOwner(tripId))).toBeGreaterThan(590);

    await managed.client.expire(Keys.tripOwner(tripId), 5);
    expect(await owners.claim(tripId, 'bob')).toEqual({ ok: false, owner: 'alice' });
    // A refused claim leaves the owner's claim as it was.
    expect(await managed.client.ttl(Keys.tripOwner(tripId))).toBeLessThanOrEqual(5);
    expect(await owners.ownerOf(tripId)).toBe('alice');
  });

  it('lets another user claim a trip whose claim expired', async () => {
    const tripId = uniqueId('trip');
    const owners = new TripOwners(managed.client, 600);
    expect(await owners.claim(tripId, 'alice')).toEqual({ ok: true });
    await managed.client.del(Keys.tripOwner(tripId));
    expect(await owners.ownerOf(tripId)).toBeUndefined();
    expect(await owners.claim(tripId, 'bob')).toEqual({ ok: true });
    expect(await owners.ownerOf(tripId)).toBe('bob');
  });

  it('gives a trip claimed by many users at once to exactly one of them', async () => {
    const tripId = uniqueId('trip');
    const owners = new TripOwners(managed.client, 600);
    const users = Array.from({ length: 20 }, (_, i) => `user-${i}`);
    const claims = await Promise.all(users.map((user) => owners.claim(tripId, user)));
    const winners = users.filter((_, i) => claims[i]!.ok);
    expect(winners).toHaveLength(1);
    expect(await owners.ownerOf(tripId)).toBe(winners[0]);
    for (const claim of claims) if (!claim.ok) expect(claim.owner).toBe(winners[0]);
  });
});
