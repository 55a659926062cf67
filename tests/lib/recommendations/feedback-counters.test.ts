import type { ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { FeedbackCounters } from '../../../src/lib/recommendations/feedback-counters';
import { VisitedPlaces } from '../../../src/lib/recommendations/visited-places';
import { resetServingSeries, servingSeries } from '../../../src/lib/ops/serving-series';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';

describe.each(REDIS_TARGETS)('feedback counters on $name Redis', (target) => {
  let managed: ManagedRedisClient;
  beforeAll(async () => (managed = await target.connect()));
  afterAll(() => managed?.close());

  it('counts a served list once per id, a click and a dismissal once per list, in the hour buckets', async () => {
    // A model name of this run (a-z, 0-9, -) so runs never share counters.
    const modelName = uniqueId('m')
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-');
    let now = Date.parse('2026-12-03T07:30:00Z');
    resetServingSeries();
    const counters = new FeedbackCounters(managed.client, () => now);
    const served = {
      recommendationId: 'rec.x.1',
      modelName,
      modelVersion: 2,
      variant: 'canary' as const,
      userId: 'u1',
      placeIds: ['p1', 'p2'],
    };
    expect(await counters.countServed(served)).toBe(true);
    expect(await counters.countServed(served)).toBe(false); // a retried serve of the same list
    now += 3600_000; // the click arrives in the next hour
    expect(await counters.countFeedback(modelName, 'rec.x.1', 'u1', 'p2', 'clicks')).toBe('counted');
    expect(await counters.countFeedback(modelName, 'rec.x.1', 'u1', 'p1', 'clicks')).toBe('duplicate');
    expect(await counters.countFeedback(modelName, 'rec.x.1', 'u1', 'p1', 'dismissals')).toBe('counted');
    expect(await counters.countFeedback(modelName, 'rec.x.1', 'u2', 'p1', 'clicks')).toBe('other-user');
    expect(await counters.countFeedback(modelName, 'rec.x.1', 'u1', 'p', 'clicks')).toBe('not-in-list');
    expect(await counters.countFeedback(modelName, 'rec.x.9', 'u1', 'p1', 'clicks')).toBe('unknown-list');
    const buckets = await counters.readBuckets(modelName, Date.parse('2026-12-03T07:00:00Z'));
    expect(Object.fromEntries(buckets)).toEqual({
      '2026120307': { 'canary:2:impressions': 1 },
      '2026120308': { 'canary:2:clicks': 1, 'canary:2:dismissals': 1 },
    });
    expect([...(await counters.readBuckets(modelName, now)).keys()]).toEqual(['2026120308']);
    // The online metric (telemetry and the dashboard's chart) sees what was counted, not the repeats.
    const seen = servingSeries().filter((p) => p.variant === 'canary' && p.modelVersion === '2');
    expect({
      impressions: seen.reduce((n, p) => n + p.impressions, 0),
      clicks: seen.reduce((n, p) => n + p.clicks, 0),
    }).toEqual({ impressions: 1, clicks: 1 });
  });

  it('keeps each user’s visited places', async () => {
    const visited = new VisitedPlaces(managed.client);
    const [a, b] = [uniqueId('ua'), uniqueId('ub')];
    await visited.record([
      { userId: a, placeId: 'p1', action: 'visit' },
      { userId: a, placeId: 'p2', action: 'view' },
      { userId: b, placeId: 'p3', action: 'visit' },
    ]);
    expect([...(await visited.of(a))]).toEqual(['p1']);
    expect([...(await visited.of(b))]).toEqual(['p3']);
  });
});
