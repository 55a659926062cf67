import { decideCanary, normalCdf, userBucket, variantFor } from '../../../src/lib/models/canary';
import { ExactScorer } from '../../../src/lib/models/exact-scorer';
import { foldInProfile } from '../../../src/lib/models/fold-in';
import { exactTopK } from '../../../src/lib/models/top-k';
import { initialTrainingState, trainEpoch } from '../../../src/lib/models/training';
import { smallPlantedData } from './model-fixtures';

describe('cold-start fold-in', () => {
  it("a profile's vector ranks that profile's categories first", async () => {
    const { matrix, placeCategory, categoryNames } = smallPlantedData(9);
    let state = initialTrainingState(matrix, { factors: 16, seed: 2, regularization: 0.1 });
    for (let e = 0; e < 8; e++) state = await trainEpoch(state, matrix);
    const model = {
      itemFactors: state.itemFactors,
      items: state.items,
      k: 16,
      regularization: 0.1,
      alpha: 1,
      categoryOf: (item: number) => categoryNames[placeCategory[item]!],
    };
    const scorer = new ExactScorer(state.itemFactors, state.items, 16);
    for (const liked of [0, 3]) {
      const vector = foldInProfile(model, { [categoryNames[liked]!]: 5 })!;
      const top = exactTopK(scorer, vector, 10);
      const share = top.filter((r) => placeCategory[r.item] === liked).length / top.length;
      expect(share).toBeGreaterThanOrEqual(0.8);
    }
    expect(foldInProfile(model, { 'no-such-category': 3, [categoryNames[1]!]: 0 })).toBeNull();
    expect(() => foldInProfile(model, { x: Number.NaN })).toThrow(/profile.x: must be a finite number/);
  });
});

describe('canary routing', () => {
  it('puts a user in the same bucket every time, differently per model, spread evenly', () => {
    expect(userBucket('user-1', 'place-recommender')).toBe(userBucket('user-1', 'place-recommender'));
    const counts = new Array<number>(100).fill(0);
    let differ = 0;
    for (let n = 0; n < 20000; n++) {
      counts[userBucket(`user-${n}`, 'm')]!++;
      if (userBucket(`user-${n}`, 'm') !== userBucket(`user-${n}`, 'other')) differ++;
    }
    expect(Math.min(...counts)).toBeGreaterThan(140); // 200 expected per bucket
    expect(Math.max(...counts)).toBeLessThan(260);
    expect(differ).toBeGreaterThan(19000);
    const canary = Array.from({ length: 20000 }, (_, n) => variantFor(`user-${n}`, 'm', 10)).filter(
      (v) => v === 'canary',
    ).length;
    expect(canary / 20000).toBeCloseTo(0.1, 1);
    expect(variantFor('u', 'm', 0)).toBe('production');
    expect(variantFor('u', 'm', 100)).toBe('canary');
    expect(() => variantFor('u', 'm', 101)).toThrow(/canaryPercent/);
  });
});

describe('canary decision', () => {
  const settings = {
    minImpressionsPerVariant: 1000,
    promoteAfterImpressions: 5000,
    alpha: 0.05,
    tolerance: 0.05,
  };

  it('waits below the minimum sample size, whatever the rates', () => {
    expect(
      decideCanary({ impressions: 999, clicks: 0 }, { impressions: 50000, clicks: 5000 }, settings).action,
    ).toBe('wait');
  });

  it('rolls back a canary significantly worse beyond the tolerance', () => {
    const d = decideCanary(
      { impressions: 3000, clicks: 180 },
      { impressions: 30000, clicks: 3000 },
      settings,
    );
    expect(d.action).toBe('rollback');
    expect(d.reason).toMatch(/significantly worse: CTR canary 6.00 % vs production 10.00 %/);
    expect(d.pValue).toBeLessThan(0.05);
  });

  it('does not roll back a drop inside the tolerance, and promotes after enough impressions', () => {
    const within = decideCanary(
      { impressions: 6000, clicks: 585 },
      { impressions: 60000, clicks: 6000 },
      settings,
    );
    expect(within.action).toBe('promote');
    const early = decideCanary(
      { impressions: 2000, clicks: 200 },
      { impressions: 20000, clicks: 2000 },
      settings,
    );
    expect(early.action).toBe('wait');
  });

  it('uses a correct normal CDF and refuses impossible counts', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(-1.6448536)).toBeCloseTo(0.05, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(() => decideCanary({ impressions: 10, clicks: 11 }, { impressions: 10, clicks: 1 })).toThrow(
      /canary.clicks: more clicks/,
    );
  });
});
