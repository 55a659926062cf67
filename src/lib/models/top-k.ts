import type { ExactScorer } from './exact-scorer';

/**
 * The `count` best items by score, best first, skipping `excluded`: a bounded min-heap over the
 * scores (one comparison for most items), then every item within the scorer's float32 error of the
 * cut is rescored in float64 and the final order is taken from those exact scores. Ties break by
 * the lower item index, so the answer is one list, the same every time.
 */
export interface RankedItem {
  item: number;
  score: number;
}

export function exactTopK(
  scorer: ExactScorer,
  user: ArrayLike<number>,
  count: number,
  excluded: ReadonlySet<number> = new Set(),
): RankedItem[] {
  const scores = scorer.score(user);
  const want = Math.min(count, scorer.items - excluded.size);
  if (want <= 0) return [];
  const margin = 2 * scorer.errorBound(user);
  const heap = topIndices(scores, want, excluded);
  const cut = scores[heap[0]!]! - margin; // heap[0] is the weakest of the best `want`
  const candidates: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! >= cut && !excluded.has(i)) candidates.push(i);
  return candidates
    .map((item) => ({ item, score: scorer.exactScore(user, item) }))
    .sort((a, b) => b.score - a.score || a.item - b.item)
    .slice(0, want);
}

/** Indices of the `count` largest scores as a min-heap (weakest at [0]). */
function topIndices(scores: Float32Array, count: number, excluded: ReadonlySet<number>): Int32Array {
  const heap = new Int32Array(count);
  let size = 0;
  const checkExcluded = excluded.size > 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (size === count && s <= scores[heap[0]!]!) continue;
    if (checkExcluded && excluded.has(i)) continue;
    if (size < count) {
      let at = size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (scores[heap[parent]!]! <= s) break;
        heap[at] = heap[parent]!;
        at = parent;
      }
      heap[at] = i;
    } else {
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        if (left >= count) break;
        const right = left + 1;
        const child = right < count && scores[heap[right]!]! < scores[heap[left]!]! ? right : left;
        if (scores[heap[child]!]! >= s) break;
        heap[at] = heap[child]!;
        at = child;
      }
      heap[at] = i;
    }
  }
  return heap.subarray(0, size);
}
