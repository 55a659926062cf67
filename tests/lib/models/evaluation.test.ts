import { scoreBatch } from '../../../src/lib/models/batch-scoring';
import { rankingMetrics } from '../../../src/lib/models/evaluation';
import { holdoutByTime } from '../../../src/lib/models/holdout';
import { logFromInteractions } from '../../../src/lib/models/interaction-log';
import { popularityRanking, popularityTopK } from '../../../src/lib/models/popularity';
import { plantedTasteData } from '../../../src/lib/models/synthetic-data';
import { initialTrainingState, trainEpoch } from '../../../src/lib/models/training';

describe('ranking metrics', () => {
  it('computes recall, NDCG and coverage by their definitions', () => {
    // user 0 holds out {5}: found at rank 2 (index 1). user 1 holds out {7, 8}: 8 at rank 1 only.
    const lists = Int32Array.from([4, 5, 6, 8, 9, 4]);
    const heldOut = new Map([
      [0, new Set([5])],
      [1, new Set([7, 8])],
    ]);
    const m = rankingMetrics(lists, 3, Int32Array.from([0, 1]), heldOut, 3, 10);
    expect(m.users).toBe(2);
    expect(m.recall).toBeCloseTo((1 / 1 + 1 / 2) / 2, 12);
    expect(m.ndcg).toBeCloseTo((1 / Math.log2(3) + 1 / (1 + 1 / Math.log2(3))) / 2, 12);
    expect(m.coverage).toBeCloseTo(5 / 10, 12); // items 4, 5, 6, 8, 9
    expect(() => rankingMetrics(lists, 3, Int32Array.from([0]), heldOut, 4, 10)).toThrow(/k \(4\)/);
  });
});

describe('holdout by time', () => {
  it("holds out each user's latest liked places and removes every row of them from training", () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
    const row = (
      userId: string,
      placeId: string,
      minute: number,
      action: 'view' | 'recommendation_dismiss' = 'view',
    ) => ({
      userId,
      placeId,
      action,
      at: at(minute),
    });
    const log = logFromInteractions([
      row('u1', 'a', 1),
      row('u1', 'b', 2),
      row('u1', 'c', 3),
      row('u1', 'a', 4), // latest liked place of u1 is a (again): a is held out, both rows leave
      row('u1', 'd', 5, 'recommendation_dismiss'), // a dislike is never held out
      row('u2', 'a', 1),
      row('u2', 'b', 2), // u2 has too little history: all of it trains
    ]);
    const { train, users, heldOut } = holdoutByTime(log, { perUser: 1, minTrain: 2 });
    const u1 = log.userIds.indexOf('u1');
    expect(Array.from(users)).toEqual([u1]);
    expect([...heldOut.get(u1)!].map((p) => log.placeIds[p])).toEqual(['a']);
    const trained = (u: number) =>
      Array.from(train.byUser.indices.subarray(train.byUser.indptr[u]!, train.byUser.indptr[u + 1]!)).map(
        (p) => log.placeIds[p],
      );
    expect(trained(u1)).toEqual(['b', 'c', 'd']);
    expect(trained(log.userIds.indexOf('u2'))).toEqual(['a', 'b']);
  });
});

describe('quality on planted tastes (synthetic)', () => {
  it('ALS and BPR find the planted tastes far better than popularity', async () => {
    const data = plantedTasteData({
      users: 1500,
      places: 400,
      interactions: 30000,
      categories: 10,
      seed: 21,
    });
    const { train, users, heldOut } = holdoutByTime(data.log, { perUser: 2, minTrain: 3 });
    const k = 10;
    const popular = popularityTopK(popularityRanking(train), train, users, k);
    const baseline = rankingMetrics(popular, k, users, heldOut, k, train.byUser.cols);
    for (const algorithm of ['als', 'bpr'] as const) {
      let state = initialTrainingState(train, {
        algorithm,
        factors: 16,
        seed: 1,
        regularization: algorithm === 'als' ? 0.1 : 0.01,
      });
      for (let e = 0; e < (algorithm === 'als' ? 8 : 30); e++) state = await trainEpoch(state, train);
      const { items } = scoreBatch({
        userFactors: state.userFactors,
        itemFactors: state.itemFactors,
        items: train.byUser.cols,
        k: 16,
        users,
        count: k,
        excludeIndptr: train.byUser.indptr,
        excludeIndices: train.byUser.indices,
      });
      const model = rankingMetrics(items, k, users, heldOut, k, train.byUser.cols);
      expect(model.recall).toBeGreaterThan(baseline.recall * 1.5);
      expect(model.ndcg).toBeGreaterThan(baseline.ndcg * 1.5);
      expect(model.coverage).toBeGreaterThan(baseline.coverage);
    }
  });

  it('popularity can be limited to one destination', () => {
    const log = logFromInteractions(
      ['a', 'a', 'b', 'c', 'c', 'c'].map((placeId, n) => ({
        userId: `u${n}`,
        placeId,
        action: 'view' as const,
        at: '2026-01-01T00:00:00Z',
      })),
    );
    const { train } = holdoutByTime(log);
    const seoul = new Set(['a', 'b']);
    const ranking = popularityRanking(train, (item) => seoul.has(log.placeIds[item]!));
    expect(Array.from(ranking).map((p) => log.placeIds[p])).toEqual(['a', 'b']);
  });
});
