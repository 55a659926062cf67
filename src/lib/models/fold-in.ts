import { chunkCount, partialGrams, solveRowsCg, sumGrams } from './als-kernels';

/**
 * Cold start: a user with too little history gets a vector from their preference profile
 * (`{category: weight}`, from the analysis workflow) by one ALS row solve against the item factors,
 * as if they had liked every place of each category with that weight. CG runs to convergence
 * (up to k steps, from zero). A profile that names no known category with a positive weight gives
 * no vector, and the caller falls back to popularity in the destination.
 */
export interface FoldInModel {
  itemFactors: Float32Array;
  items: number;
  k: number;
  regularization: number;
  alpha: number;
  /** Category of each item index. */
  categoryOf: (item: number) => string | undefined;
}

export type CategoryProfile = Record<string, number>;

export function validateProfile(profile: unknown): CategoryProfile {
  if (!profile || typeof profile !== 'object' || Array.isArray(profile))
    throw new RangeError('profile: must be an object of category weights');
  for (const [category, weight] of Object.entries(profile)) {
    if (typeof weight !== 'number' || !Number.isFinite(weight))
      throw new RangeError(`profile.${category}: must be a finite number`);
  }
  return profile as CategoryProfile;
}

const grams = new WeakMap<Float32Array, Float64Array>();

export function foldInProfile(
  model: FoldInModel,
  profile: CategoryProfile,
  allowed?: (item: number) => boolean,
): Float32Array | null {
  validateProfile(profile);
  const items: number[] = [];
  const weights: number[] = [];
  for (let item = 0; item < model.items; item++) {
    if (allowed && !allowed(item)) continue;
    const category = model.categoryOf(item);
    const weight = category === undefined ? undefined : profile[category];
    if (weight !== undefined && weight > 0) {
      items.push(item);
      weights.push(weight);
    }
  }
  if (items.length === 0) return null;
  const target = new Float32Array(model.k);
  solveRowsCg({
    target,
    other: model.itemFactors,
    gram: gramOf(model),
    indptr: Int32Array.from([0, items.length]),
    indices: Int32Array.from(items),
    values: Float32Array.from(weights),
    k: model.k,
    alpha: model.alpha,
    cgSteps: model.k,
    chunkStart: 0,
    chunkEnd: 1,
    rows: 1,
  });
  return target;
}

/** Y^T Y + regularization I, computed once per item-factor array. */
function gramOf(model: FoldInModel): Float64Array {
  const cached = grams.get(model.itemFactors);
  if (cached) return cached;
  const chunks = chunkCount(model.items);
  const partials = new Float64Array(chunks * model.k * model.k);
  partialGrams(model.itemFactors, model.items, model.k, 0, chunks, partials);
  const gram = new Float64Array(model.k * model.k);
  sumGrams(partials, chunks, model.k, model.regularization, gram);
  grams.set(model.itemFactors, gram);
  return gram;
}
