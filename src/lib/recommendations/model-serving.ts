import type { BlobServiceClient } from '@azure/storage-blob';
import type { PreferenceProfile } from '../analysis/profile-types';
import { CacheAside } from '../cache/cache-aside';
import type { CatalogStore } from '../catalog/catalog-store';
import type { Catalog } from '../contracts/catalog';
import { ModelRegistry } from '../models/model-registry';
import { MODELS_CONTAINER } from '../models/model-storage';
import type { RedisClient } from '../redis/client-factory';
import { DestinationPopularity } from './destination-popularity';
import { FeedbackArchive } from './feedback-archive';
import { FeedbackCounters } from './feedback-counters';
import { GuardLog } from './guard-log';
import { ModelCache, type ServedPlace } from './model-cache';
import type { CachedList, RecommendationDeps } from './recommendation-service';
import { RoutingCache } from './routing-cache';
import { VisitedPlaces } from './visited-places';

export interface ModelServingInputs {
  redis: RedisClient;
  blobService: BlobServiceClient;
  catalog: CatalogStore;
  profile(userId: string): Promise<PreferenceProfile | undefined>;
  recommendationTtlSeconds: number;
}

/**
 * The process's serving parts, made once: the registry (Blob), loaded models, routing, the feedback
 * counters and archive, visited places, popularity and the 2 h list cache. The HTTP routes, the
 * recommendation workflow, the interactions route and the timers all use this one instance, so a
 * model is loaded once per process and a routing change made here is seen here at once.
 */
export class ModelServing {
  readonly registry: ModelRegistry;
  readonly models: ModelCache;
  readonly routing: RoutingCache;
  readonly counters: FeedbackCounters;
  readonly archive: FeedbackArchive;
  readonly guardLog: GuardLog;
  readonly visited: VisitedPlaces;
  readonly popularity: DestinationPopularity;
  readonly cache: CacheAside<CachedList>;
  readonly #servedPlaces = new WeakMap<Catalog, readonly ServedPlace[]>();
  #containerReady?: Promise<void>;

  constructor(private readonly inputs: ModelServingInputs) {
    const container = inputs.blobService.getContainerClient(MODELS_CONTAINER);
    this.registry = new ModelRegistry(container);
    this.models = new ModelCache(this.registry);
    this.routing = new RoutingCache(this.registry);
    this.counters = new FeedbackCounters(inputs.redis);
    this.archive = new FeedbackArchive(container);
    this.guardLog = new GuardLog(container);
    this.visited = new VisitedPlaces(inputs.redis);
    this.popularity = new DestinationPopularity(() => inputs.blobService);
    this.cache = new CacheAside<CachedList>(inputs.redis, {
      name: 'recommendation',
      ttlSeconds: inputs.recommendationTtlSeconds,
    });
  }

  /** The registry's container, created once (the model API writes before any training did). */
  ready(): Promise<void> {
    this.#containerReady ??= this.registry.ensureContainer().catch((error: unknown) => {
      this.#containerReady = undefined;
      throw error;
    });
    return this.#containerReady;
  }

  /** Every model the registry holds (one folder per model in the registry's container). */
  async modelNames(): Promise<string[]> {
    await this.ready();
    const names: string[] = [];
    const container = this.inputs.blobService.getContainerClient(MODELS_CONTAINER);
    for await (const item of container.listBlobsByHierarchy('/', { prefix: 'models/' }))
      if (item.kind === 'prefix') names.push(item.name.slice('models/'.length, -1));
    return names;
  }

  deps(onModelError?: RecommendationDeps['onModelError']): RecommendationDeps {
    return {
      routing: this.routing,
      models: this.models,
      places: (destination) => this.#places(destination),
      visited: (userId) => this.visited.of(userId),
      profile: (userId) => this.inputs.profile(userId),
      popularity: (destination) => this.popularity.likesIn(destination),
      cache: this.cache,
      counters: this.counters,
      now: () => new Date(),
      ...(onModelError ? { onModelError } : {}),
    };
  }

  /** The catalog's places as serving needs them; one array per catalog version (models key on it). */
  async #places(destination: string): Promise<readonly ServedPlace[] | undefined> {
    const catalog = await this.inputs.catalog.get(destination);
    if (!catalog) return undefined;
    let places = this.#servedPlaces.get(catalog);
    if (!places) {
      places = catalog.places.map((p) => ({ placeId: p.id, category: p.category }));
      this.#servedPlaces.set(catalog, places);
    }
    return places;
  }
}
