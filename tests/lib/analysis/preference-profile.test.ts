import { BlobServiceClient } from '@azure/storage-blob';
import {
  buildPreferenceProfile,
  catalogFromPlaces,
  profileChanged,
  profileWindow,
  type PlaceCatalog,
  type PreferenceProfile,
} from '../../../src/lib/analysis/preference-profile';
import type { Interaction } from '../../../src/lib/contracts/interaction';
import { InteractionLogWriter, readInteractions } from '../../../src/lib/interactions/interaction-log';
import { startAzuriteBlob } from '../../rig/azurite';

const now = new Date('2026-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
const user = 'user@example.com';

function act(action: Interaction['action'], at: string, over: Partial<Interaction> = {}): Interaction {
  return { userId: user, placeId: 'p', action, at, destination: 'Seoul', ...over };
}

const history: Interaction[] = [
  act('visit', daysAgo(60), { category: 'museum', placeId: 'm1' }),
  act('visit', daysAgo(60), { category: 'museum', placeId: 'm2' }),
  act('rate', daysAgo(120), { category: 'palace', rating: 5 }),
  act('view', daysAgo(120), { category: 'palace' }),
  act('save', daysAgo(60), { category: 'market' }),
  act('recommendation_dismiss', daysAgo(60), { category: 'market', recommendationId: 'r1' }),
  act('recommendation_dismiss', daysAgo(60), { category: 'cafe' }),
  act('view', daysAgo(60)), // no category, no catalog
  act('visit', daysAgo(181), { category: 'museum' }), // outside the window
  act('visit', daysAgo(1), { category: 'museum', userId: 'someone-else' }),
];

describe('preference profile', () => {
  it('weighs categories by action and recency (half-life 60 days), normalised, with the counts behind each', async () => {
    const profile = await buildPreferenceProfile(history, { userId: user, now });
    // museum 2 visits x 5 x 0.5 = 5; palace (rate 5: +4, view: +1) x 0.25 = 1.25; market (save 3, dismiss -2) x 0.5 = 0.5.
    expect(profile.categories).toEqual([
      {
        category: 'museum',
        weight: 0.7407,
        interest: 1,
        score: 5,
        counts: { visit: 2 },
        lastAt: daysAgo(60),
      },
      {
        category: 'palace',
        weight: 0.1852,
        interest: 0.25,
        score: 1.25,
        counts: { rate: 1, view: 1 },
        ratings: { count: 1, average: 5 },
        lastAt: daysAgo(120),
      },
      {
        category: 'market',
        weight: 0.0741,
        interest: 0.1,
        score: 0.5,
        counts: { save: 1, recommendation_dismiss: 1 },
        lastAt: daysAgo(60),
      },
      {
        category: 'cafe',
        weight: 0,
        interest: 0,
        score: -1,
        counts: { recommendation_dismiss: 1 },
        lastAt: daysAgo(60),
      },
    ]);
    expect(profile.interests).toEqual({ museum: 1, palace: 0.25, market: 0.1 });
    expect(profile).toMatchObject({
      schemaVersion: 1,
      userId: user,
      computedAt: now.toISOString(),
      window: { from: daysAgo(180), to: now.toISOString(), days: 180 },
      halfLifeDays: 60,
      interactions: 8,
      uncategorised: 1,
      budget: { band: null, reason: 'no place catalog was given, so no price levels are known' },
      transport: { mode: null, reason: expect.stringMatching(/no transport/) },
    });
    expect(profile.pace).toEqual({
      band: null,
      reason: 'visits on 1 day(s) in the window; at least 2 are needed',
    });
  });

  it('takes pace from distinct visits per local day and budget from the catalog price levels', async () => {
    const catalog: PlaceCatalog = (placeId) => ({
      category: 'sight',
      priceLevel: Number(placeId.slice(-1)) % 5,
    });
    expect(catalogFromPlaces([{ id: 'a', category: 'park', priceLevel: 0 }])('a')).toEqual({
      category: 'park',
      priceLevel: 0,
    });
    expect(catalogFromPlaces([])('a')).toBeUndefined();
    const visits = (date: string, count: number, level: number) =>
      Array.from({ length: count }, (_, i) =>
        act('visit', `${date}T${String(9 + i).padStart(2, '0')}:00:00+09:00`, {
          placeId: `${date}-${i}-${level}`,
        }),
      );
    const rows = [
      // 08:00 in Seoul is the previous day in UTC: it still counts for the 10th, where the traveller was.
      act('visit', '2026-05-10T08:00:00+09:00', { placeId: 'early-3' }),
      ...visits('2026-05-10', 2, 3),
      act('visit', '2026-05-10T19:00:00+09:00', { placeId: 'early-3' }), // same place again: one stop
      ...visits('2026-05-11', 5, 2),
      ...visits('2026-05-12', 7, 3),
    ];
    const profile = await buildPreferenceProfile(rows, { userId: user, now, catalog });
    expect(profile.pace).toEqual({
      band: 'moderate',
      stopsPerDay: 5,
      visitDays: 3,
      stopsPerDayByDay: [3, 5, 7],
    });
    // Ten stops at level 3 and five at level 2: 40 / 15 = 2.67 -> premium.
    expect(profile.budget).toEqual({
      band: 'premium',
      averagePriceLevel: 2.67,
      pricedVisits: 15,
      estimatedSpendPerStop: Math.round((10 * 50_000 + 5 * 25_000) / 15),
    });
    expect(profile.categories.map((c) => [c.category, c.counts])).toEqual([['sight', { visit: 16 }]]);
    expect(profile.activeHours.topHours).toEqual([9, 10, 11]);
    expect(profile.activeHours.histogram[8]).toBe(1);
    expect(profile.activeHours.histogram.reduce((s, n) => s + n, 0)).toBe(16);
  });

  it('announces a change only beyond the threshold, or when a band changes', async () => {
    const base = await buildPreferenceProfile(history, { userId: user, now });
    expect(profileChanged(undefined, base)).toEqual({
      changed: true,
      categoryDistance: 2,
      reasons: ['first profile'],
    });
    expect(profileChanged(base, base)).toEqual({ changed: false, categoryDistance: 0, reasons: [] });

    const oneMoreView = await buildPreferenceProfile(
      [...history, act('view', daysAgo(120), { category: 'palace' })],
      {
        userId: user,
        now,
      },
    );
    const small = profileChanged(base, oneMoreView);
    expect(small.changed).toBe(false);
    expect(small.categoryDistance).toBeGreaterThan(0);

    const shifted = await buildPreferenceProfile(
      [...history, act('save', daysAgo(60), { category: 'palace' })],
      { userId: user, now },
    );
    const big = profileChanged(base, shifted);
    expect(big.changed).toBe(true);
    expect(big.reasons).toEqual([
      // palace 2.75, museum 5, market 0.5 of 8.25, on the stored (4-digit) weights.
      'category weights moved by 0.2962 (L1; threshold 0.15)',
    ]);

    const paced: PreferenceProfile = {
      ...base,
      pace: { band: 'packed', stopsPerDay: 8, visitDays: 3, stopsPerDayByDay: [8, 8, 8] },
    };
    expect(profileChanged(base, paced).reasons).toEqual(['pace band unknown -> packed']);
  });

  it('builds the same profile from the interaction log in Azurite as from the rows', async () => {
    const azurite = await startAzuriteBlob();
    try {
      const blobService = BlobServiceClient.fromConnectionString(azurite.connectionString);
      const writer = new InteractionLogWriter(blobService, { writerId: 'profile-test' });
      await writer.append('call-1', history.slice(0, 6));
      await writer.append('call-2', history.slice(6));
      await writer.append('call-1', history.slice(0, 6)); // a retried call
      const fromLog = await buildPreferenceProfile(
        readInteractions(blobService, { ...profileWindow(now), userId: user }),
        { userId: user, now },
      );
      expect(fromLog).toEqual(await buildPreferenceProfile(history, { userId: user, now }));
    } finally {
      await azurite.stop();
    }
  });
});
