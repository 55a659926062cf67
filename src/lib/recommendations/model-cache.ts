import { ExactScorer } from '../models/exact-scorer';
import { deserializeArtifact, type ModelArtifact } from '../models/model-artifact';
import type { ModelRegistry } from '../models/model-registry';

/** What serving knows of a place of a destination (from the catalog). */
export interface ServedPlace {
  placeId: string;
  category?: string;
}

/** The model's items that belong to one destination, with their own scorer. */
export interface DestinationItems {
  scorer: ExactScorer;
  /** Model item index of each scorer row. */
  modelItems: Int32Array;
  placeIds: string[];
  categories: Array<string | undefined>;
  categoryNames: string[];
  /**
   * Mean factor row of each category's places (categoryNames order, k each): a category's mean score
   * for a user is the user's vector times this mean, so ranking categories costs categories x k
   * instead of a scoring pass over every place.
   */
  categoryMeans: Float64Array;
  /** Scorer row of a place id. */
  rowOf: Map<string, number>;
}

export interface LoadedModel {
  modelName: string;
  version: number;
  artifact: ModelArtifact;
  userIndex: Map<string, number>;
  placeIndex: Map<string, number>;
  /** The destination's items, built once per catalog array (the catalog cache keeps one per version). */
  itemsIn(places: readonly ServedPlace[]): DestinationItems;
}

/** Production, canary and one being replaced: more than that means versions churn, not traffic. */
export const MAX_LOADED_MODELS = 4;

/**
 * Models loaded once per version per process: the artifact read from the registry and checked
 * against its registered sha256, then kept (least recently used out beyond MAX_LOADED_MODELS).
 * Concurrent first requests share one load; a failed load is forgotten so the next request retries.
 */
export class ModelCache {
  readonly #loaded = new Map<string, Promise<LoadedModel>>();
  loads = 0;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly capacity = MAX_LOADED_MODELS,
  ) {}

  get(modelName: string, version: number): Promise<LoadedModel> {
    const key = `${modelName}@${version}`;
    const hit = this.#loaded.get(key);
    if (hit) {
      this.#loaded.delete(key); // re-insert: Map order is the recency order
      this.#loaded.set(key, hit);
      return hit;
    }
    const loading = this.#load(modelName, version).catch((error: unknown) => {
      if (this.#loaded.get(key) === loading) this.#loaded.delete(key);
      throw error;
    });
    this.#loaded.set(key, loading);
    while (this.#loaded.size > this.capacity) this.#loaded.delete(this.#loaded.keys().next().value!);
    return loading;
  }

  async #load(modelName: string, version: number): Promise<LoadedModel> {
    this.loads += 1;
    const record = await this.registry.getVersion(modelName, version);
    if (!record) throw new RangeError(`version: ${modelName} has no version ${version}`);
    const artifact = deserializeArtifact(
      await this.registry.getArtifact(modelName, version),
      record.artifactSha256,
    );
    return loadedModel(modelName, version, artifact);
  }
}

export function loadedModel(modelName: string, version: number, artifact: ModelArtifact): LoadedModel {
  const k = artifact.hyperparameters.factors;
  const placeIndex = new Map(artifact.placeIds.map((id, n) => [id, n]));
  const byCatalog = new WeakMap<readonly ServedPlace[], DestinationItems>();
  return {
    modelName,
    version,
    artifact,
    userIndex: new Map(artifact.userIds.map((id, n) => [id, n])),
    placeIndex,
    itemsIn(places) {
      const known = byCatalog.get(places);
      if (known) return known;
      const served = places.filter((p) => placeIndex.has(p.placeId));
      const modelItems = Int32Array.from(served, (p) => placeIndex.get(p.placeId)!);
      const factors = new Float32Array(served.length * k);
      modelItems.forEach((item, row) =>
        factors.set(artifact.itemFactors.subarray(item * k, (item + 1) * k), row * k),
      );
      const categoryNames = [...new Set(served.map((p) => p.category).filter((c) => c !== undefined))];
      const nameIndex = new Map(categoryNames.map((name, n) => [name, n]));
      const items: DestinationItems = {
        categoryNames,
        categoryMeans: categoryMeans(factors, k, served, nameIndex),
        scorer: new ExactScorer(factors, served.length, k),
        modelItems,
        placeIds: served.map((p) => p.placeId),
        categories: served.map((p) => p.category),
        rowOf: new Map(served.map((p, row) => [p.placeId, row])),
      };
      byCatalog.set(places, items);
      return items;
    },
  };
}

function categoryMeans(
  factors: Float32Array,
  k: number,
  served: readonly ServedPlace[],
  nameIndex: ReadonlyMap<string, number>,
): Float64Array {
  const means = new Float64Array(nameIndex.size * k);
  const counts = new Float64Array(nameIndex.size);
  served.forEach((place, row) => {
    const c = place.category === undefined ? undefined : nameIndex.get(place.category);
    if (c === undefined) return;
    counts[c]! += 1;
    for (let f = 0; f < k; f++) means[c * k + f]! += factors[row * k + f]!;
  });
  for (let c = 0; c < counts.length; c++) for (let f = 0; f < k; f++) means[c * k + f]! /= counts[c]!;
  return means;
}
