import type { ExactScorer } from './exact-scorer';

/**
 * The `count` best items by score, best first, skipping `excluded`, exact in float64:
 * 1. the scorer's quantized screening scores every item (each within a proven `margin` of its
 *    float64 score);
 * 2. a bounded min-heap over the first block of items gives a lower bound of the final cut (the
 *    `want`-th best of a subset is never above the `want`-th best of all), and a SIMD pass keeps only
 *    the items above that bound less two margins, a few hundred of 100k;
 * 3. the heap over those gives the screened cut, and every item within two margins of it is rescored
 *    in float64; the final order is taken from those exact scores.
 * Ties break by the lower item index, so the answer is one list, the same every time.
 */
export interface RankedItem {
  item: number;
  score: number;
}

/** Items in the block that sets the first bound, per wanted item (and at least this many). */
const BLOCK_PER_WANTED = 64;
const MIN_BLOCK = 2048;
const NO_EXCLUSIONS: ReadonlySet<number> = new Set();

export function exactTopK(
  scorer: ExactScorer,
  user: ArrayLike<number>,
  count: number,
  excluded: ReadonlySet<number> = NO_EXCLUSIONS,
): RankedItem[] {
  const want = Math.min(count, scorer.items - excluded.size);
  if (want <= 0) return [];
  const { scores, margin } = scorer.screen(user);
  let pool: Int32Array | undefined;
  const block = Math.max(MIN_BLOCK, want * BLOCK_PER_WANTED);
  if (block < scorer.items) {
    const first = topIndices(scores, undefined, block, want, excluded);
    if (first.length === want) {
      const bound = scores[first[0]!]! - 2 * margin;
      // The wasm compare is in float32: go a hair lower so rounding cannot drop an item at the bound.
      pool = scorer.screenedAtLeast(bound - Math.abs(bound) * 2 ** -20);
    }
  }
  const heap = topIndices(scores, pool, pool ? pool.length : scores.length, want, excluded);
  // heap[0] is the weakest of the best `want` screened; every true member scores within 2 margins of it.
  const cut = scores[heap[0]!]! - 2 * margin;
  const candidates: RankedItem[] = [];
  const n = pool ? pool.length : scores.length;
  for (let at = 0; at < n; at++) {
    const item = pool ? pool[at]! : at;
    if (scores[item]! >= cut && !excluded.has(item))
      candidates.push({ item, score: scorer.exactScore(user, item) });
  }
  return candidates.sort((a, b) => b.score - a.score || a.item - b.item).slice(0, want);
}

/**
 * The `count` largest scores among items[0..n) (or items 0..n when `items` is undefined), as a
 * min-heap of item indices (weakest at [0]).
 */
function topIndices(
  scores: Float32Array,
  items: Int32Array | undefined,
  n: number,
  count: number,
  excluded: ReadonlySet<number>,
): Int32Array {
  const heap = new Int32Array(count);
  let size = 0;
  let weakest = -Infinity; // scores[heap[0]] once the heap is full
  const checkExcluded = excluded.size > 0;
  for (let at = 0; at < n; at++) {
    const i = items ? items[at]! : at;
    const s = scores[i]!;
    if (size === count && s <= weakest) continue;
    if (checkExcluded && excluded.has(i)) continue;
    if (size < count) {
      let slot = size++;
      while (slot > 0) {
        const parent = (slot - 1) >> 1;
        if (scores[heap[parent]!]! <= s) break;
        heap[slot] = heap[parent]!;
        slot = parent;
      }
      heap[slot] = i;
    } else {
      let slot = 0;
      for (;;) {
        const left = 2 * slot + 1;
        if (left >= count) break;
        const right = left + 1;
        const child = right < count && scores[heap[right]!]! < scores[heap[left]!]! ? right : left;
        if (scores[heap[child]!]! >= s) break;
        heap[slot] = heap[child]!;
        slot = child;
      }
      heap[slot] = i;
    }
    if (size === count) weakest = scores[heap[0]!]!;
  }
  return heap.subarray(0, size);
}
