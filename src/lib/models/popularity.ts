import type { InteractionMatrix } from './interaction-matrix';

/**
 * The baseline every model must beat, and the last fallback when a user has neither history nor
 * a preference profile: places ranked by how many users liked them (positive summed weight), ties
 * by index. `allowed` limits the ranking to one destination's places.
 */
export function popularityRanking(
  matrix: InteractionMatrix,
  allowed?: (item: number) => boolean,
): Int32Array {
  const likes = new Float64Array(matrix.byPlace.rows);
  const { indptr, values } = matrix.byPlace;
  for (let item = 0; item < likes.length; item++) {
    for (let p = indptr[item]!; p < indptr[item + 1]!; p++) if (values[p]! > 0) likes[item]! += 1;
  }
  const items: number[] = [];
  for (let item = 0; item < likes.length; item++) if (!allowed || allowed(item)) items.push(item);
  items.sort((a, b) => likes[b]! - likes[a]! || a - b);
  return Int32Array.from(items);
}

/** Top-`count` per user from one ranking, skipping each user's own stored places. */
export function popularityTopK(
  ranking: Int32Array,
  matrix: InteractionMatrix,
  users: Int32Array,
  count: number,
): Int32Array {
  const lists = new Int32Array(users.length * count).fill(-1);
  const { indptr, indices } = matrix.byUser;
  users.forEach((user, n) => {
    const own = new Set(indices.subarray(indptr[user]!, indptr[user + 1]!));
    let rank = 0;
    for (let r = 0; r < ranking.length && rank < count; r++) {
      if (!own.has(ranking[r]!)) lists[n * count + rank++] = ranking[r]!;
    }
  });
  return lists;
}

/** Place ids per destination from catalogue or log rows, for `allowed` above. */
export function placesByDestination(
  rows: Iterable<{ placeId: string; destination: string }>,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const { placeId, destination } of rows) {
    const set = out.get(destination);
    if (set) set.add(placeId);
    else out.set(destination, new Set([placeId]));
  }
  return out;
}
