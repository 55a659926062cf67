import type { PreferenceProfile } from '../analysis/profile-types';
import type { CacheAside } from '../cache/cache-aside';
import { destinationKey } from '../contracts/catalog';
import {
  MAX_RECOMMENDATION_COUNT,
  RECOMMENDATION_MODELS,
  type ListQuery,
  type RecommendationType,
} from '../contracts/recommendation-request';
import { variantFor } from '../models/canary';
import { DEFAULT_DIVERSIFY_RULE, diversify } from '../models/diversify';
import type { RoutingRecord } from '../models/model-registry';
import { Keys } from '../redis/keys';
import type { FeedbackCounters, Variant } from './feedback-counters';
import { newRecommendationId } from './feedback-settings';
import type { ModelCache, ServedPlace } from './model-cache';
import { foldInVector, rankByPopularity, rankWithModel, type RankedPlace } from './rank-places';
import type { RoutingCache } from './routing-cache';

/** Where a list's scores came from. */
export type ListSource = 'history' | 'profile' | 'popularity';

/** A computed list as cached under ai:recommendation:{userId}:{type}:{destination} (2 h). */
export interface CachedList {
  userId: string;
  destination: string;
  type: RecommendationType;
  modelName: string;
  modelVersion: number | null;
  variant: Variant;
  source: ListSource;
  generatedAt: string;
  items: RankedPlace[];
  /** The route the list was computed for: a list is reused only while the user's route is the same. */
  route: Route;
}

/** What a caller is served: the cached list cut to k, with this serve's own recommendation id. */
export interface RecommendationList extends Omit<CachedList, 'route'> {
  recommendationId: string;
  cached: boolean;
}

export class UnknownDestinationError extends Error {
  override name = 'UnknownDestinationError';
}

export interface RecommendationDeps {
  routing: RoutingCache;
  models: ModelCache;
  /** The destination's places (the catalog), or undefined when the destination has none. */
  places(destination: string): Promise<readonly ServedPlace[] | undefined>;
  visited(userId: string): Promise<Set<string>>;
  profile(userId: string): Promise<PreferenceProfile | undefined>;
  popularity(destination: string): Promise<Map<string, number>>;
  cache: CacheAside<CachedList>;
  counters: FeedbackCounters;
  now(): Date;
  /** Told when a routed model could not be loaded (the list falls back to popularity). */
  onModelError?(error: unknown, modelName: string, version: number): void;
}

/** A list ready to serve: from the cache, or computed now and not yet stored. */
export interface ResolvedList {
  list: CachedList;
  /** Served from the cache (else computed for this request). */
  cached: boolean;
  /** In the cache already (a cached list, or one computed through the cache's single flight). */
  stored: boolean;
}

/**
 * One user's list for one destination, the same for the HTTP route and the ai-recommendation queue.
 * Routing: a stable bucket of (userId, modelName) picks canary or production (canary.ts). The list is
 * cached for 2 h; a cached list made for another route than the user's current one (the split
 * changed, a rollback, a promotion) is computed again. Places visited since are filtered out on every
 * serve. Each serve gets its own recommendation id and counts one impression for its variant.
 */
export async function recommend(
  deps: RecommendationDeps,
  query: ListQuery,
  recommendationId?: string,
): Promise<RecommendationList> {
  return serveList(deps, query, await resolveList(deps, query, { store: true }), recommendationId);
}

/**
 * The list for `query`: the cached one when it was made for the user's current route, else computed.
 * `store: true` computes through the cache's single flight and stores it; `false` leaves storing to
 * serveList (a job stores only after it committed).
 */
export async function resolveList(
  deps: RecommendationDeps,
  query: ListQuery,
  options: { store: boolean },
): Promise<ResolvedList> {
  const modelName = RECOMMENDATION_MODELS[query.type];
  const places = await deps.places(query.destination);
  if (!places || places.length === 0)
    throw new UnknownDestinationError(`destination ${query.destination} has no places in the catalog`);
  const route = routeOf(await deps.routing.get(modelName), query.userId, modelName);
  const key = listKey(query);
  const found = await deps.cache.get(key);
  if (found && found.route?.version === route.version && found.route.variant === route.variant)
    return { list: found, cached: true, stored: true };
  if (found) await deps.cache.invalidate(key);
  if (!options.store)
    return { list: await compute(deps, query, modelName, route, places), cached: false, stored: false };
  let computed = false;
  const list = await deps.cache.getOrCompute(key, () => {
    computed = true;
    return compute(deps, query, modelName, route, places);
  });
  return { list, cached: !computed, stored: true };
}

/** Stores a computed list (idempotent: the same value again), leaves out visited places, counts the impression. */
export async function serveList(
  deps: RecommendationDeps,
  query: ListQuery,
  resolved: ResolvedList,
  recommendationId?: string,
): Promise<RecommendationList> {
  const { list, cached, stored } = resolved;
  if (!stored) await deps.cache.set(listKey(query), list);
  const visited = await deps.visited(query.userId);
  const items = cutList(list.items, visited, query.k);
  const id = recommendationId ?? newRecommendationId(list.modelName);
  const { route: _route, ...served } = list;
  await deps.counters.countServed({
    recommendationId: id,
    modelName: list.modelName,
    modelVersion: list.modelVersion,
    variant: list.variant,
    userId: query.userId,
    placeIds: items.map((i) => i.placeId),
  });
  return { ...served, items, recommendationId: id, cached };
}

/**
 * The first k of a cached list, visited places left out, the category rule applied again to the cut:
 * the cached list is diversified for its full length, and when categories run out there its fill
 * (best skipped places, in score order) could crowd the top k. Walking the list again gives the
 * rule's own walk for k, which is the same as diversifying the full ranking for k.
 */
function cutList(items: RankedPlace[], visited: ReadonlySet<string>, k: number): RankedPlace[] {
  const kept = items.filter((item) => !visited.has(item.placeId));
  return diversify(
    kept.map((item, index) => ({ item: index, score: item.score })),
    k,
    (index) => kept[index]!.category,
    DEFAULT_DIVERSIFY_RULE,
  ).items.map(({ item }) => kept[item]!);
}

function listKey(query: ListQuery): string {
  return Keys.recommendationIn(query.userId, query.type, destinationKey(query.destination));
}

export interface Route {
  variant: Variant;
  version: number | null;
}

export function routeOf(routing: RoutingRecord, userId: string, modelName: string): Route {
  if (routing.canaryVersion !== null && variantFor(userId, modelName, routing.canaryPercent) === 'canary')
    return { variant: 'canary', version: routing.canaryVersion };
  if (routing.productionVersion !== null)
    return { variant: 'production', version: routing.productionVersion };
  return { variant: 'fallback', version: null };
}

async function compute(
  deps: RecommendationDeps,
  query: ListQuery,
  modelName: string,
  route: Route,
  places: readonly ServedPlace[],
): Promise<CachedList> {
  const visited = await deps.visited(query.userId);
  const base = {
    userId: query.userId,
    destination: query.destination,
    type: query.type,
    modelName,
    generatedAt: deps.now().toISOString(),
    route,
  };
  if (route.version !== null) {
    const fromModel = await rankFromModel(deps, query.userId, modelName, route.version, places, visited);
    if (fromModel) return { ...base, modelVersion: route.version, variant: route.variant, ...fromModel };
  }
  const likes = await deps.popularity(query.destination);
  return {
    ...base,
    modelVersion: null,
    variant: 'fallback',
    source: 'popularity',
    items: rankByPopularity(places, likes, visited, MAX_RECOMMENDATION_COUNT),
  };
}

/** The model's list: the user's own vector, else one folded in from the profile; null when neither. */
async function rankFromModel(
  deps: RecommendationDeps,
  userId: string,
  modelName: string,
  version: number,
  places: readonly ServedPlace[],
  visited: Set<string>,
): Promise<{ source: ListSource; items: RankedPlace[] } | null> {
  let model;
  try {
    model = await deps.models.get(modelName, version);
  } catch (error) {
    deps.onModelError?.(error, modelName, version);
    return null;
  }
  const items = model.itemsIn(places);
  if (items.placeIds.length === 0) return null;
  const k = model.artifact.hyperparameters.factors;
  const row = model.userIndex.get(userId);
  if (row !== undefined) {
    const vector = model.artifact.userFactors.subarray(row * k, (row + 1) * k);
    return {
      source: 'history',
      items: rankWithModel(model, items, vector, visited, MAX_RECOMMENDATION_COUNT),
    };
  }
  const profile = await deps.profile(userId);
  const weights = new Map(
    (profile?.categories ?? []).filter((c) => c.weight > 0).map((c) => [c.category, c.weight]),
  );
  if (weights.size === 0) return null;
  const vector = foldInVector(model, items, weights);
  if (!vector) return null;
  return {
    source: 'profile',
    items: rankWithModel(model, items, vector, visited, MAX_RECOMMENDATION_COUNT, weights),
  };
}
