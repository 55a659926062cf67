/**
 * Ranking metrics every model is measured by, from top-k lists (rows of `count` item indices, -1
 * for none) against held-out items:
 * - recall@k: hits / min(k, held-out items), the share of what could fit in k that was found;
 * - NDCG@k: sum of 1/log2(rank + 2) over hits, over the same sum for a perfect list;
 * - coverage@k: distinct items recommended to anyone / items in the catalogue.
 */
export interface RankingMetrics {
  k: number;
  users: number;
  recall: number;
  ndcg: number;
  coverage: number;
}

export function rankingMetrics(
  lists: Int32Array,
  count: number,
  users: Int32Array,
  heldOut: Map<number, Set<number>>,
  k: number,
  catalogSize: number,
): RankingMetrics {
  if (k > count) throw new RangeError(`k (${k}) is more than the ${count} items each list has`);
  let recall = 0;
  let ndcg = 0;
  let evaluated = 0;
  const seen = new Set<number>();
  users.forEach((user, n) => {
    const relevant = heldOut.get(user);
    for (let r = 0; r < k; r++) {
      const item = lists[n * count + r]!;
      if (item >= 0) seen.add(item);
    }
    if (!relevant || relevant.size === 0) return;
    evaluated++;
    let hits = 0;
    let dcg = 0;
    for (let r = 0; r < k; r++) {
      if (relevant.has(lists[n * count + r]!)) {
        hits++;
        dcg += 1 / Math.log2(r + 2);
      }
    }
    let ideal = 0;
    for (let r = 0; r < Math.min(k, relevant.size); r++) ideal += 1 / Math.log2(r + 2);
    recall += hits / Math.min(k, relevant.size);
    ndcg += dcg / ideal;
  });
  return {
    k,
    users: evaluated,
    recall: evaluated ? recall / evaluated : 0,
    ndcg: evaluated ? ndcg / evaluated : 0,
    coverage: catalogSize ? seen.size / catalogSize : 0,
  };
}
