import type { BlobServiceClient } from '@azure/storage-blob';
import { buildPreferenceProfile, profileWindow } from '../../lib/analysis/preference-profile';
import type { ProfileStore } from '../../lib/analysis/profile-store';
import type {
  AnalysePreferencesItem,
  BatchItem,
  BatchOperation,
  RefreshRecommendationsItem,
} from '../../lib/batch/batch-items';
import type { ItemResult } from '../../lib/batch/batch-results';
import type { CacheAside } from '../../lib/cache/cache-aside';
import type { Interaction } from '../../lib/contracts/interaction';
import type { TripGenerationRequest } from '../../lib/contracts/trip-generation-request';
import { toError } from '../../lib/errors/app-errors';
import { readInteractions } from '../../lib/interactions/interaction-log';
import { Channels, Keys } from '../../lib/redis/keys';
import { destinationKey } from '../../lib/contracts/catalog';
import {
  DEFAULT_RECOMMENDATION_COUNT,
  RECOMMENDATION_MODELS,
} from '../../lib/contracts/recommendation-request';
import type { RedisClient } from '../../lib/redis/client-factory';
import { newRecommendationId } from '../../lib/recommendations/feedback-settings';
import type { ModelServing } from '../../lib/recommendations/model-serving';
import { recommend } from '../../lib/recommendations/recommendation-service';
import type { TripPlanner } from '../trip-generation/activities';
import type { TripOwners } from '../../lib/trips/trip-owners';

export interface ItemRunnerDeps {
  blobService(): BlobServiceClient;
  profileStore(): Promise<ProfileStore>;
  scheduleCache(): Promise<CacheAside<unknown>>;
  planner: TripPlanner;
  modelServing(): Promise<ModelServing>;
  redis(): Promise<RedisClient>;
  tripOwners(): Promise<TripOwners>;
}

/** Lets the event loop run between items: a chunk is many small units of CPU work, not one long one. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs one chunk of a batch, item by item; a failing item is recorded with its reason and the others
 * go on. Every item's effect is an overwrite (its user's profile, its trip's schedule), so a retried
 * chunk repeats nothing visible.
 */
export async function runChunkItems(
  operation: BatchOperation,
  items: BatchItem[],
  now: Date,
  deps: ItemRunnerDeps,
  batchJobId: string,
): Promise<ItemResult[]> {
  if (operation === 'analyse-preferences')
    return analysePreferences(items as BatchItem<AnalysePreferencesItem>[], now, deps);
  if (operation === 'generate-trips') return generateTrips(items as BatchItem<TripGenerationRequest>[], deps);
  if (operation === 'refresh-recommendations')
    return refreshRecommendations(items as BatchItem<RefreshRecommendationsItem>[], deps, batchJobId);
  return items.map((item) => ({
    index: item.index,
    itemId: item.itemId,
    ok: false,
    reason: `${operation} is not available`,
  }));
}

/** One read of the interaction log for the whole chunk (the log is partitioned by day, not user). */
async function analysePreferences(
  items: BatchItem<AnalysePreferencesItem>[],
  now: Date,
  deps: ItemRunnerDeps,
): Promise<ItemResult[]> {
  const longest = Math.max(...items.map((i) => i.value.windowDays ?? 180));
  const { from, to } = profileWindow(now, longest);
  const users = new Set(items.map((i) => i.value.userId));
  const rowsByUser = new Map<string, Interaction[]>();
  for await (const row of readInteractions(deps.blobService(), { from, to })) {
    if (!users.has(row.userId)) continue;
    const rows = rowsByUser.get(row.userId) ?? [];
    rows.push(row);
    rowsByUser.set(row.userId, rows);
  }
  const store = await deps.profileStore();
  const results: ItemResult[] = [];
  for (const item of items) {
    try {
      const profile = await buildPreferenceProfile(rowsByUser.get(item.value.userId) ?? [], {
        userId: item.value.userId,
        now,
        ...(item.value.windowDays ? { windowDays: item.value.windowDays } : {}),
      });
      await store.save(profile);
      results.push({
        index: item.index,
        itemId: item.itemId,
        ok: true,
        result: { categories: profile.categories.length },
      });
    } catch (error) {
      results.push({ index: item.index, itemId: item.itemId, ok: false, reason: toError(error).message });
    }
    await breathe();
  }
  return results;
}

async function generateTrips(
  items: BatchItem<TripGenerationRequest>[],
  deps: ItemRunnerDeps,
): Promise<ItemResult[]> {
  const cache = await deps.scheduleCache();
  const owners = await deps.tripOwners();
  const { planner } = deps;
  const results: ItemResult[] = [];
  for (const item of items) {
    try {
      const request = item.value;
      // As a trip job is claimed at submit: an item may not replace another user's schedule. The claim
      // is idempotent for its owner, so a retried chunk passes again.
      const claim = await owners.claim(request.tripId, request.userId);
      if (!claim.ok) throw new Error(`trip ${request.tripId} belongs to another user; use a new tripId`);
      const { days, leftOut } = planner.selectAndAssign(request);
      const plans = days.map((day) => planner.optimiseDay(request, planner.planDay(request, day)));
      const schedule = planner.assemble(request, plans, leftOut);
      await cache.set(Keys.schedule(request.tripId), schedule);
      results.push({
        index: item.index,
        itemId: item.itemId,
        ok: true,
        result: {
          tripId: request.tripId,
          scheduleUri: `/api/trips/${encodeURIComponent(request.tripId)}/schedule`,
        },
      });
    } catch (error) {
      results.push({ index: item.index, itemId: item.itemId, ok: false, reason: toError(error).message });
    }
    await breathe();
  }
  return results;
}

/**
 * Each item as one recommendation job would run it: the list computed afresh (the cached one is
 * dropped first), cached, its impression counted once (the recommendation id comes from the batch job
 * and item index, so a retried chunk counts nothing twice) and published on ai:recommendations:{userId}.
 */
async function refreshRecommendations(
  items: BatchItem<RefreshRecommendationsItem>[],
  deps: ItemRunnerDeps,
  batchJobId: string,
): Promise<ItemResult[]> {
  const serving = await deps.modelServing();
  const redis = await deps.redis();
  const results: ItemResult[] = [];
  for (const item of items) {
    try {
      const query = { ...item.value, type: 'places' as const, k: DEFAULT_RECOMMENDATION_COUNT };
      await serving.cache.invalidate(
        Keys.recommendationIn(query.userId, query.type, destinationKey(query.destination)),
      );
      const recommendationId = newRecommendationId(
        RECOMMENDATION_MODELS[query.type],
        `${batchJobId}.${item.index}`,
      );
      const list = await recommend(serving.deps(), query, recommendationId);
      await redis.publish(Channels.recommendations(query.userId), JSON.stringify({ batchJobId, ...list }));
      results.push({
        index: item.index,
        itemId: item.itemId,
        ok: true,
        result: {
          recommendationId,
          modelVersion: list.modelVersion,
          variant: list.variant,
          items: list.items.length,
        },
      });
    } catch (error) {
      results.push({ index: item.index, itemId: item.itemId, ok: false, reason: toError(error).message });
    }
    await breathe();
  }
  return results;
}
