import { DEFAULT_DIVERSIFY_RULE, diversify } from '../models/diversify';
import { foldInProfile } from '../models/fold-in';
import { recommendForVector } from '../models/recommend';
import type { DestinationItems, LoadedModel } from './model-cache';

/** Why a place is on the list: the parts of the score a person can check. */
export type Reason =
  /** The place's category and how the user's vector ranks it among the destination's categories (1 = best). */
  | { kind: 'category'; category: string; rank: number; of: number }
  /** The visited place whose factors are most like this one's (cosine), when it is close (>= 0.5). */
  | { kind: 'similar'; placeId: string; similarity: number }
  /** A category of the user's preference profile, with its weight (cold start). */
  | { kind: 'profile'; category: string; weight: number }
  /** How many users liked the place in the destination lately (popularity fallback). */
  | { kind: 'popular'; likes: number };

export interface RankedPlace {
  placeId: string;
  score: number;
  category?: string;
  reasons: Reason[];
}

const SIMILAR_AT_LEAST = 0.5;

/**
 * The user's list from a model: exact scores over the destination's places the model knows, places
 * already visited left out, then the category rule (diversify.ts: at most 3 per category, the best
 * skipped ones fill up when categories run out). `vector` is the user's row, or one folded in from
 * the profile.
 */
export function rankWithModel(
  model: LoadedModel,
  items: DestinationItems,
  vector: ArrayLike<number>,
  visited: ReadonlySet<string>,
  count: number,
  profileReasons?: Map<string, number>,
): RankedPlace[] {
  const exclude = new Set<number>();
  for (const placeId of visited) {
    const row = items.rowOf.get(placeId);
    if (row !== undefined) exclude.add(row);
  }
  if (items.placeIds.length - exclude.size <= 0) return [];
  const ranked = recommendForVector(items.scorer, vector, {
    count,
    exclude,
    categoryOf: (row) => items.categories[row],
    diversity: DEFAULT_DIVERSIFY_RULE,
  });
  const categoryRanks = rankCategories(items, vector);
  const k = model.artifact.hyperparameters.factors;
  const visitedRows = [...visited].map((id) => model.placeIndex.get(id)).filter((i) => i !== undefined);
  return ranked.map(({ item: row, score }) => {
    const category = items.categories[row];
    const reasons: Reason[] = [];
    if (category !== undefined) {
      const weight = profileReasons?.get(category);
      if (weight !== undefined) reasons.push({ kind: 'profile', category, weight: round(weight) });
      reasons.push({
        kind: 'category',
        category,
        rank: categoryRanks.get(category)!,
        of: categoryRanks.size,
      });
    }
    const similar = mostSimilar(model.artifact.itemFactors, k, items.modelItems[row]!, visitedRows);
    if (similar && similar.similarity >= SIMILAR_AT_LEAST)
      reasons.push({
        kind: 'similar',
        placeId: model.artifact.placeIds[similar.item]!,
        similarity: round(similar.similarity),
      });
    return { placeId: items.placeIds[row]!, score: round(score), ...(category ? { category } : {}), reasons };
  });
}

/** Cold start: the profile's category weights folded into a user vector (one CG solve), or null. */
export function foldInVector(
  model: LoadedModel,
  items: DestinationItems,
  weights: Map<string, number>,
): Float32Array | null {
  const categoryOfItem = new Map<number, string | undefined>();
  items.modelItems.forEach((item, row) => categoryOfItem.set(item, items.categories[row]));
  const h = model.artifact.hyperparameters;
  return foldInProfile(
    {
      itemFactors: model.artifact.itemFactors,
      items: model.artifact.placeIds.length,
      k: h.factors,
      regularization: h.regularization,
      alpha: h.alpha,
      categoryOf: (item) => categoryOfItem.get(item),
    },
    Object.fromEntries(weights),
    (item) => categoryOfItem.has(item),
  );
}

/** Popularity in the destination (likes by distinct users), visited left out, the same category rule. */
export function rankByPopularity(
  places: ReadonlyArray<{ placeId: string; category?: string }>,
  likes: ReadonlyMap<string, number>,
  visited: ReadonlySet<string>,
  count: number,
): RankedPlace[] {
  const candidates = places
    .map((place, index) => ({ place, index, likes: likes.get(place.placeId) ?? 0 }))
    .filter(({ place }) => !visited.has(place.placeId))
    .sort((a, b) => b.likes - a.likes || a.index - b.index);
  const { items } = diversify(
    candidates.map((c) => ({ item: c.index, score: c.likes })),
    count,
    (index) => places[index]!.category,
    DEFAULT_DIVERSIFY_RULE,
  );
  return items.map(({ item }) => {
    const place = places[item]!;
    const placeLikes = likes.get(place.placeId) ?? 0;
    return {
      placeId: place.placeId,
      score: placeLikes,
      ...(place.category ? { category: place.category } : {}),
      reasons: [{ kind: 'popular', likes: placeLikes }],
    };
  });
}

/** 1-based rank of each category by the mean score of its places for this user (mean rows: categories x k). */
function rankCategories(items: DestinationItems, vector: ArrayLike<number>): Map<string, number> {
  const { categoryMeans, categoryNames } = items;
  const k = categoryMeans.length / Math.max(1, categoryNames.length);
  const order = categoryNames
    .map((name, c) => {
      let mean = 0;
      for (let f = 0; f < k; f++) mean += vector[f]! * categoryMeans[c * k + f]!;
      return { name, mean };
    })
    .sort((a, b) => b.mean - a.mean || a.name.localeCompare(b.name));
  return new Map(order.map(({ name }, n) => [name, n + 1]));
}

function mostSimilar(
  factors: Float32Array,
  k: number,
  item: number,
  candidates: number[],
): { item: number; similarity: number } | undefined {
  let best: { item: number; similarity: number } | undefined;
  const norm = (i: number) => {
    let s = 0;
    for (let f = 0; f < k; f++) s += factors[i * k + f]! ** 2;
    return Math.sqrt(s);
  };
  const own = norm(item);
  for (const other of candidates) {
    if (other === item) continue;
    let dot = 0;
    for (let f = 0; f < k; f++) dot += factors[item * k + f]! * factors[other * k + f]!;
    const similarity = dot / (own * norm(other) || 1);
    if (!best || similarity > best.similarity) best = { item: other, similarity };
  }
  return best;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
