import { diversify } from '../../../src/lib/models/diversify';
import { ExactScorer } from '../../../src/lib/models/exact-scorer';
import { SeededRandom } from '../../../src/lib/models/random';
import { recommendForVector } from '../../../src/lib/models/recommend';
import { exactTopK, type RankedItem } from '../../../src/lib/models/top-k';

function randomFactors(rows: number, k: number, seed: number): Float32Array {
  const random = SeededRandom.fromSeed(seed);
  return Float32Array.from({ length: rows * k }, () => random.nextGaussian());
}

/** Float64 brute force: the definition of the right answer. */
function referenceRanking(
  items: Float32Array,
  k: number,
  user: Float32Array,
  exclude = new Set<number>(),
): RankedItem[] {
  const out: RankedItem[] = [];
  for (let i = 0; i < items.length / k; i++) {
    if (exclude.has(i)) continue;
    let s = 0;
    for (let f = 0; f < k; f++) s += user[f]! * items[i * k + f]!;
    out.push({ item: i, score: s });
  }
  return out.sort((a, b) => b.score - a.score || a.item - b.item);
}

describe('exact top-k', () => {
  it.each([64, 24, 8])('equals float64 brute force at %i factors, for many users', (k) => {
    const items = randomFactors(3000, k, 1);
    const scorer = new ExactScorer(items, 3000, k);
    const users = randomFactors(30, k, 2);
    for (let u = 0; u < 30; u++) {
      const user = users.subarray(u * k, (u + 1) * k);
      expect(exactTopK(scorer, user, 20)).toEqual(referenceRanking(items, k, user).slice(0, 20));
    }
  });

  it('orders items whose float32 scores tie by their float64 scores', () => {
    // Items that differ below float32 resolution of the sum: only the float64 re-check orders them.
    const k = 16;
    const items = new Float32Array(50 * k);
    for (let i = 0; i < 50; i++) for (let f = 0; f < k; f++) items[i * k + f] = 1 + (f === 0 ? i * 1e-7 : 0);
    const user = Float32Array.from({ length: k }, (_, f) => (f === 0 ? 1 : 1000));
    const scorer = new ExactScorer(items, 50, k);
    expect(exactTopK(scorer, user, 5).map((r) => r.item)).toEqual(
      referenceRanking(items, k, user)
        .slice(0, 5)
        .map((r) => r.item),
    );
  });

  it('never returns excluded items and returns fewer when the catalogue runs out', () => {
    const k = 16;
    const items = randomFactors(40, k, 3);
    const scorer = new ExactScorer(items, 40, k);
    const user = randomFactors(1, k, 4);
    const best = referenceRanking(items, k, user);
    const exclude = new Set(best.slice(0, 5).map((r) => r.item));
    const top = exactTopK(scorer, user, 10, exclude);
    expect(top).toEqual(referenceRanking(items, k, user, exclude).slice(0, 10));
    expect(top.some((r) => exclude.has(r.item))).toBe(false);
    expect(exactTopK(scorer, user, 100, exclude)).toHaveLength(35);
  });

  it('stays exact past the first block and its bound, with uneven item norms and exclusions', () => {
    // 8,000 items: more than the first block, so the SIMD narrowing runs. Item norms vary 1000-fold
    // (the quantization error differs per item) and many near-duplicates crowd the cut.
    const k = 64;
    const n = 8000;
    const items = randomFactors(n, k, 11);
    const random = SeededRandom.fromSeed(12);
    for (let i = 0; i < n; i++) {
      const scale = 10 ** (random.next() * 3 - 1.5);
      for (let f = 0; f < k; f++) items[i * k + f]! *= scale;
    }
    for (let i = 1; i < 400; i += 2)
      for (let f = 0; f < k; f++) items[i * k + f] = items[(i - 1) * k + f]! + 1e-6;
    const scorer = new ExactScorer(items, n, k);
    const users = randomFactors(6, k, 13);
    for (let u = 0; u < 6; u++) {
      const user = users.subarray(u * k, (u + 1) * k);
      const reference = referenceRanking(items, k, user);
      expect(exactTopK(scorer, user, 20)).toEqual(reference.slice(0, 20));
      const exclude = new Set(reference.slice(0, 7 + u).map((r) => r.item));
      expect(exactTopK(scorer, user, 40, exclude)).toEqual(
        referenceRanking(items, k, user, exclude).slice(0, 40),
      );
    }
  });

  it('keeps an item outside the first block whose screened score falls below the cut of that block', () => {
    // Items 0-19 score exactly 1 and fill the first block's top 20; item 2500 scores 1.001 but its
    // int8 rounding (scale 1.6/127) screens it at about 0.995, below them: only the two-margin
    // allowance on the block's bound keeps it in the pool.
    const k = 16;
    const n = 3000;
    const items = randomFactors(n, k, 14).map((v) => v * 0.01);
    for (let i = 0; i < 20; i++) items.fill(0, i * k, (i + 1) * k).fill(1, i * k, i * k + 1);
    items.fill(0, 2500 * k, 2501 * k);
    items[2500 * k] = 1.001;
    items[2500 * k + 1] = 1.6;
    const user = Float32Array.from({ length: k }, (_, f) => (f === 0 ? 1 : 0));
    const scorer = new ExactScorer(items, n, k);
    expect(scorer.screen(user).scores[2500]! * scorer.screen(user).unit).toBeLessThan(0.999);
    const top = exactTopK(scorer, user, 20);
    expect(top[0]!.item).toBe(2500);
    expect(top).toEqual(referenceRanking(items, k, user).slice(0, 20));
  });

  it('refuses a user vector of the wrong length', () => {
    const scorer = new ExactScorer(randomFactors(10, 16, 5), 10, 16);
    expect(() => scorer.score(new Float32Array(8))).toThrow(/expected 16 values, got 8/);
  });
});

describe('category diversification', () => {
  const ranked = (categories: string[]) => categories.map((_, item) => ({ item, score: 100 - item }));

  it('keeps at most maxPerCategory of a category, taking the next best instead', () => {
    const categories = ['a', 'a', 'a', 'b', 'a', 'c', 'b'];
    const { items, complete } = diversify(ranked(categories), 4, (i) => categories[i], { maxPerCategory: 2 });
    expect(items.map((r) => r.item)).toEqual([0, 1, 3, 5]);
    expect(complete).toBe(true);
  });

  it('fills the list with the best skipped items when categories run out, in score order', () => {
    const categories = ['a', 'a', 'a', 'a', 'b'];
    const { items, complete } = diversify(ranked(categories), 4, (i) => categories[i], { maxPerCategory: 1 });
    expect(items.map((r) => r.item)).toEqual([0, 1, 2, 4]);
    expect(complete).toBe(false);
  });

  it('recommendForVector gives the rule applied to the full exact ranking', () => {
    const k = 16;
    const items = randomFactors(500, k, 6);
    const scorer = new ExactScorer(items, 500, k);
    const user = randomFactors(1, k, 7);
    const categoryOf = (i: number) => `c${i % 3}`; // three categories, cap 2 -> the walk must go deep
    const full = referenceRanking(items, k, user, new Set([0, 1]));
    const expected = diversify(full, 6, categoryOf, { maxPerCategory: 2 }).items;
    const got = recommendForVector(scorer, user, {
      count: 6,
      exclude: new Set([0, 1]),
      categoryOf,
      diversity: { maxPerCategory: 2 },
    });
    expect(got).toEqual(expected);
    const perCategory = new Map<string, number>();
    for (const r of got) perCategory.set(categoryOf(r.item), (perCategory.get(categoryOf(r.item)) ?? 0) + 1);
    expect(Math.max(...perCategory.values())).toBe(2);
  });
});
