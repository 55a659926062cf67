import { parseListQuery } from '../../../src/lib/contracts/recommendation-request';
import type { ModelVersionRecord, RoutingRecord } from '../../../src/lib/models/model-registry';
import { deploymentRefusal, rollbackRefusal } from '../../../src/lib/recommendations/deployment-rules';
import { mergeBuckets, sumCounts } from '../../../src/lib/recommendations/feedback-archive';
import type { BucketCounts } from '../../../src/lib/recommendations/feedback-counters';
import {
  feedbackBucket,
  modelOfRecommendationId,
  newRecommendationId,
} from '../../../src/lib/recommendations/feedback-settings';

const routing = (over: Partial<RoutingRecord> = {}): RoutingRecord => ({
  modelName: 'm',
  productionVersion: 1,
  canaryVersion: null,
  canaryPercent: 0,
  nextVersion: 4,
  decisions: [],
  ...over,
});
const version = (v: number, status: ModelVersionRecord['status'] = 'candidate') =>
  ({ modelName: 'm', version: v, status }) as ModelVersionRecord;

describe('model API transitions', () => {
  it('allows a canary beside production and a promotion of any other version', () => {
    expect(deploymentRefusal(routing(), version(2), 20)).toBeUndefined();
    expect(
      deploymentRefusal(routing({ canaryVersion: 2, canaryPercent: 20 }), version(2, 'canary'), 50),
    ).toBeUndefined();
    expect(deploymentRefusal(routing(), version(2), 100)).toBeUndefined();
    expect(deploymentRefusal(routing(), version(0, 'retired'), 100)).toBeUndefined();
  });

  it('refuses what would leave the guard nothing to compare or hide evidence', () => {
    expect(deploymentRefusal(routing({ productionVersion: null }), version(2), 20)).toMatch(/no production/);
    expect(deploymentRefusal(routing(), version(1, 'production'), 20)).toMatch(/is production/);
    expect(deploymentRefusal(routing(), version(1, 'production'), 100)).toMatch(/already production/);
    expect(deploymentRefusal(routing({ canaryVersion: 2 }), version(3), 20)).toMatch(/already has version 2/);
    expect(deploymentRefusal(routing(), version(2, 'rolled_back'), 100)).toMatch(/rolled back/);
    expect(deploymentRefusal(routing(), version(0, 'retired'), 20)).toMatch(/retired/);
    expect(rollbackRefusal(routing())).toMatch(/no canary/);
    expect(rollbackRefusal(routing({ canaryVersion: 2 }))).toBeUndefined();
  });
});

describe('feedback evidence', () => {
  it('merges Redis and the Blob archive field by field with the larger count', () => {
    const archive = new Map<string, BucketCounts>([
      ['2026120301', { 'canary:2:impressions': 40, 'canary:2:clicks': 3 }],
    ]);
    const redis = new Map<string, BucketCounts>([
      ['2026120301', { 'canary:2:impressions': 5 }], // Redis restarted from zero
      ['2026120302', { 'canary:2:impressions': 7, 'production:1:impressions': 9 }],
    ]);
    const merged = mergeBuckets(archive, redis);
    expect(merged.get('2026120301')).toEqual({ 'canary:2:impressions': 40, 'canary:2:clicks': 3 });
    expect(sumCounts(merged, 'canary:2', '2026120301')).toEqual({
      impressions: 47,
      clicks: 3,
      dismissals: 0,
    });
    expect(sumCounts(merged, 'canary:2', '2026120302')).toEqual({ impressions: 7, clicks: 0, dismissals: 0 });
  });

  it('names hourly buckets in UTC and keeps recommendation ids short enough for interactions', () => {
    expect(feedbackBucket(Date.parse('2026-12-03T07:59:59Z'))).toEqual({
      id: '2026120307',
      start: Date.parse('2026-12-03T07:00:00Z'),
    });
    const long = newRecommendationId('place-recommender', 'j'.repeat(128));
    expect(long.length).toBeLessThanOrEqual(128);
    expect(modelOfRecommendationId(long)).toBe('place-recommender');
    expect(modelOfRecommendationId(newRecommendationId('place-recommender'))).toBe('place-recommender');
    expect(modelOfRecommendationId('forged')).toBeUndefined();
  });
});

describe('recommendation query', () => {
  it('reads k as a number and names each bad parameter', () => {
    expect(parseListQuery('u1', new URLSearchParams('destination=Seoul&k=7'))).toEqual({
      ok: true,
      value: { userId: 'u1', destination: 'Seoul', type: 'places', k: 7 },
    });
    const bad = parseListQuery('u 1', new URLSearchParams('destination=&k=2.5&type=films&extra=1'));
    expect(bad.ok).toBe(false);
    const paths = bad.ok ? [] : bad.issues.map((i) => i.path).sort();
    expect(paths).toEqual(['', 'destination', 'k', 'type', 'userId']);
    const twice = parseListQuery('u1', new URLSearchParams('destination=a&destination=b'));
    expect(twice).toEqual({
      ok: false,
      issues: [{ path: 'destination', message: 'is given more than once' }],
    });
  });
});
