import type { InteractionLog } from './interaction-log';
import { SeededRandom } from './random';

/**
 * SYNTHETIC data with planted tastes, for tests, benchmarks and the demo (never real users): places
 * belong to categories and have a Zipf-like popularity; each user likes two categories and draws
 * most interactions (share `tasteShare`) from them, the rest from the whole catalogue by popularity.
 * A model that finds the tastes beats popularity by a wide margin; one that does not, does not.
 */
export interface SyntheticOptions {
  users: number;
  places: number;
  interactions: number;
  categories: number;
  seed: number;
  tasteShare?: number;
  /** Draw again when a (user, place) pair repeats, so the matrix has exactly `interactions` entries. */
  distinctPairs?: boolean;
}

export interface SyntheticData {
  log: InteractionLog;
  /** Category index of each place. */
  placeCategory: Int32Array;
  categoryNames: string[];
  /** The two planted favourite categories of each user. */
  userTastes: Int32Array;
}

export function plantedTasteData(options: SyntheticOptions): SyntheticData {
  const { users, places, interactions, categories, seed, tasteShare = 0.8, distinctPairs = false } = options;
  const random = SeededRandom.fromSeed(seed);
  const categoryNames = Array.from({ length: categories }, (_, c) => `category-${c}`);
  const placeCategory = new Int32Array(places);
  for (let p = 0; p < places; p++) placeCategory[p] = random.nextInt(categories);
  // Popularity ~ 1 / (rank + 10), ranks shuffled; cumulative tables overall and per category.
  const popularity = new Float64Array(places);
  for (let p = 0; p < places; p++) popularity[p] = 1 / (random.nextInt(places) + 10);
  const overall = cumulative(
    Array.from({ length: places }, (_, p) => p),
    popularity,
  );
  const perCategory = categoryNames.map((_, c) =>
    cumulative(
      Array.from({ length: places }, (_, p) => p).filter((p) => placeCategory[p] === c),
      popularity,
    ),
  );
  const userTastes = new Int32Array(users * 2);
  for (let u = 0; u < users; u++) {
    userTastes[2 * u] = random.nextInt(categories);
    userTastes[2 * u + 1] = (userTastes[2 * u]! + 1 + random.nextInt(categories - 1)) % categories;
  }
  const log: InteractionLog = {
    userIds: Array.from({ length: users }, (_, u) => `user-${u}`),
    placeIds: Array.from({ length: places }, (_, p) => `place-${p}`),
    user: new Int32Array(interactions),
    place: new Int32Array(interactions),
    weight: new Float32Array(interactions),
    time: new Float64Array(interactions),
  };
  const start = Date.UTC(2026, 0, 1);
  const pairs = new Set<number>();
  for (let n = 0; n < interactions; n++) {
    // Every user gets at least one row; the rest are spread at random.
    let u: number;
    let place: number;
    do {
      u = n < users ? n : random.nextInt(users);
      const table =
        random.next() < tasteShare ? perCategory[userTastes[2 * u + random.nextInt(2)]!]! : overall;
      place = table.items.length > 0 ? draw(table, random.next()) : draw(overall, random.next());
    } while (distinctPairs && pairs.has(u * places + place));
    if (distinctPairs) pairs.add(u * places + place);
    log.user[n] = u;
    log.place[n] = place;
    const action = random.next();
    log.weight[n] = action < 0.7 ? 1 : action < 0.9 ? 3 : 5; // view, save, visit
    log.time[n] = start + n * 1000;
  }
  return { log, placeCategory, categoryNames, userTastes };
}

interface Table {
  items: number[];
  cumulative: Float64Array;
}

function cumulative(items: number[], weight: Float64Array): Table {
  const out = new Float64Array(items.length);
  let sum = 0;
  items.forEach((item, n) => (out[n] = sum += weight[item]!));
  return { items, cumulative: out };
}

function draw(table: Table, uniform: number): number {
  const target = uniform * table.cumulative[table.cumulative.length - 1]!;
  let lo = 0;
  let hi = table.items.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (table.cumulative[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return table.items[lo]!;
}
