import { CacheAside } from '../../../src/lib/cache/cache-aside';
import { CacheStats } from '../../../src/lib/cache/cache-stats';
import { TTL_DEFAULT_SECONDS } from '../../../src/lib/config/ttl-defaults';
import { PermanentError } from '../../../src/lib/errors/app-errors';
import type { EventPublisher } from '../../../src/lib/messaging/event-publisher';
import type { ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { Keys } from '../../../src/lib/redis/keys';
import {
  createTripActivities,
  type TripPlanner,
} from '../../../src/orchestrations/trip-generation/activities';
import { TripGenerationNames as Names } from '../../../src/orchestrations/trip-generation/names';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';

describe.each(REDIS_TARGETS)('trip activities on $name Redis', (target) => {
  let redis: ManagedRedisClient;
  const planner: TripPlanner = {
    selectAndAssign: () => {
      throw new PermanentError('no place fits the request', 'NoFeasiblePlan');
    },
    planDay: () => {
      throw new Error('model endpoint timed out');
    },
    optimiseDay: (_r, day) => day,
    assemble: (_r, days) => ({ days }),
    generatedEvent: (input) => input,
  };

  beforeAll(async () => {
    redis = await target.connect();
  });
  afterAll(() => redis.close());

  const activities = () =>
    createTripActivities({
      scheduleCache: async () =>
        new CacheAside<unknown>(redis.client, {
          name: 'schedule',
          ttlSeconds: TTL_DEFAULT_SECONDS.schedule,
          stats: new CacheStats(),
        }),
      eventPublisher: () => ({}) as EventPublisher,
      // The profile path runs end to end in tests/e2e/trip-interests.e2e.test.ts (real Azurite).
      profileStore: () => Promise.reject(new Error('these activities do not read profiles')),
      planner,
    });
  const run = (name: string, input: unknown) => activities()[name]!(input as never);

  it('returns permanent planner errors as values and throws transient ones (so the host retries them)', async () => {
    expect(await run(Names.activities.selectAndAssign, { request: {} })).toEqual({
      ok: false,
      permanent: true,
      code: 'NoFeasiblePlan',
      reason: 'no place fits the request',
    });
    await expect(run(Names.activities.planDay, { request: {}, assignment: {} })).rejects.toThrow(
      'model endpoint timed out',
    );
  });

  it('caches the schedule for 8 hours under the trip key', async () => {
    const tripId = uniqueId('trip');
    expect(await run(Names.activities.cacheSchedule, { tripId, schedule: { days: [1, 2] } })).toEqual({
      ok: true,
      value: undefined,
    });
    expect(JSON.parse((await redis.client.get(Keys.schedule(tripId)))!)).toEqual({ days: [1, 2] });
    expect(await redis.client.ttl(Keys.schedule(tripId))).toBeGreaterThan(28790);
  });
});
