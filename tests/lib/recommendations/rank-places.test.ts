import { resolveHyperparameters } from '../../../src/lib/models/hyperparameters';
import { SeededRandom } from '../../../src/lib/models/random';
import { loadedModel } from '../../../src/lib/recommendations/model-cache';
import { rankWithModel } from '../../../src/lib/recommendations/rank-places';

/**
 * The category reason of a served list: each item's category ranked (1 = best) by the mean score of
 * the destination's places in it for this user, checked against the mean of every place's own exact
 * score (the plain definition), on random factors with categories of unequal size and places
 * without one.
 */
const K = 8;

function model(seed: number) {
  const random = SeededRandom.fromSeed(seed);
  const users = 5;
  const items = 300;
  return loadedModel('rank-test', 1, {
    modelName: 'rank-test',
    hyperparameters: resolveHyperparameters({ factors: K }),
    epochs: 1,
    datasetFingerprint: 'synthetic',
    userIds: Array.from({ length: users }, (_, u) => `u${u}`),
    placeIds: Array.from({ length: items }, (_, p) => `p${p}`),
    userFactors: Float32Array.from({ length: users * K }, () => random.nextGaussian()),
    itemFactors: Float32Array.from({ length: items * K }, () => random.nextGaussian()),
  });
}

describe('the category reason of a served list', () => {
  it.each([1, 2, 3])('ranks categories by the mean exact score of their places (seed %i)', (seed) => {
    const loaded = model(seed);
    // Category sizes 1, 2, 3, ... (p mod 23 picks among uneven groups); every 10th place has none.
    const places = loaded.artifact.placeIds.map((placeId, p) =>
      p % 10 === 0 ? { placeId } : { placeId, category: `c${Math.floor(Math.sqrt(p % 23))}` },
    );
    const destination = loaded.itemsIn(places);
    for (let u = 0; u < 5; u++) {
      const vector = loaded.artifact.userFactors.subarray(u * K, (u + 1) * K);
      const sums = new Map<string, { total: number; count: number }>();
      places.forEach((place, p) => {
        if (!place.category) return;
        const entry = sums.get(place.category) ?? { total: 0, count: 0 };
        entry.total += destination.scorer.exactScore(vector, p);
        entry.count += 1;
        sums.set(place.category, entry);
      });
      const expected = new Map(
        [...sums]
          .map(([name, { total, count }]) => ({ name, mean: total / count }))
          .sort((a, b) => b.mean - a.mean || a.name.localeCompare(b.name))
          .map(({ name }, n) => [name, n + 1]),
      );
      const list = rankWithModel(loaded, destination, vector, new Set(), 20);
      expect(list.length).toBe(20);
      for (const item of list) {
        const reason = item.reasons.find((r) => r.kind === 'category');
        if (!item.category) {
          expect(reason).toBeUndefined();
          continue;
        }
        expect(reason).toEqual({
          kind: 'category',
          category: item.category,
          rank: expected.get(item.category),
          of: expected.size,
        });
      }
    }
  });
});
