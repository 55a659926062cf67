import { ExactScorer } from './exact-scorer';
import { exactTopK } from './top-k';

/**
 * Exact top-k for many users at once (precomputing lists, evaluation), excluding each user's own
 * stored entries when `excludeIndptr`/`excludeIndices` (the users x places CSR) are given. Runs in a
 * worker through the pool; the scorer for an item-factor buffer is built once per thread.
 */
export interface ScoreBatchJob {
  userFactors: Float32Array;
  itemFactors: Float32Array;
  items: number;
  k: number;
  users: Int32Array;
  count: number;
  excludeIndptr?: Int32Array;
  excludeIndices?: Int32Array;
}

export interface ScoreBatchResult {
  /** users.length rows of `count` item indices, best first; -1 pads a row with fewer items. */
  items: Int32Array;
  scores: Float32Array;
}

const scorers = new WeakMap<ArrayBufferLike, ExactScorer>();

export function scorerFor(itemFactors: Float32Array, items: number, k: number): ExactScorer {
  const cached = scorers.get(itemFactors.buffer);
  if (cached && cached.items === items && cached.k === k) return cached;
  const scorer = new ExactScorer(itemFactors, items, k);
  scorers.set(itemFactors.buffer, scorer);
  return scorer;
}

export function scoreBatch(job: ScoreBatchJob): ScoreBatchResult {
  const { userFactors, k, users, count, excludeIndptr, excludeIndices } = job;
  const scorer = scorerFor(job.itemFactors, job.items, k);
  const items = new Int32Array(users.length * count).fill(-1);
  const scores = new Float32Array(users.length * count);
  for (let n = 0; n < users.length; n++) {
    const u = users[n]!;
    const vector = userFactors.subarray(u * k, (u + 1) * k);
    const exclude = new Set<number>();
    if (excludeIndptr && excludeIndices) {
      for (let p = excludeIndptr[u]!; p < excludeIndptr[u + 1]!; p++) exclude.add(excludeIndices[p]!);
    }
    exactTopK(scorer, vector, count, exclude).forEach((entry, rank) => {
      items[n * count + rank] = entry.item;
      scores[n * count + rank] = entry.score;
    });
  }
  return { items, scores };
}
