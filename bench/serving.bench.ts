/**
 * npm run bench:serving — what one recommendation list costs in process beyond the exact top-k that
 * bench:models measures: the served list (top 50 over one destination's places, visited places left
 * out, the category rule, reasons per item: rank-places.ts) and the cold-start fold-in of a profile,
 * at 10,000 and 100,000 places and 64 factors, on synthetic factors. The anchor is the plain
 * exactTopK top-20 on the same scorer (bench:models' serving row). No HTTP, no Redis: those are the
 * host's and the network's, not the ranking's.
 */
import os from 'node:os';
import { resolveHyperparameters } from '../src/lib/models/hyperparameters';
import { SeededRandom } from '../src/lib/models/random';
import { exactTopK } from '../src/lib/models/top-k';
import { loadedModel } from '../src/lib/recommendations/model-cache';
import { foldInVector, rankWithModel } from '../src/lib/recommendations/rank-places';
import { percentile, printTable } from './bench-stats';

const FACTORS = 64;
const CATEGORIES = 20;

function measure(fn: (n: number) => unknown, runs: number) {
  for (let n = 0; n < 20; n++) fn(n);
  const times: number[] = [];
  for (let n = 0; n < runs; n++) {
    const started = performance.now();
    fn(n);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

function main() {
  const [load] = os.loadavg();
  console.log(
    `bench:serving on ${os.cpus().length} cores, Node ${process.version}, load ${load!.toFixed(1)}`,
  );
  const rows: Array<Record<string, string | number>> = [];
  for (const items of [10_000, 100_000]) {
    const random = SeededRandom.fromSeed(items);
    const users = 200;
    const model = loadedModel('bench', 1, {
      modelName: 'bench',
      hyperparameters: resolveHyperparameters({ factors: FACTORS }),
      epochs: 1,
      datasetFingerprint: 'synthetic',
      userIds: Array.from({ length: users }, (_, u) => `u${u}`),
      placeIds: Array.from({ length: items }, (_, p) => `p${p}`),
      userFactors: Float32Array.from({ length: users * FACTORS }, () => random.nextGaussian()),
      itemFactors: Float32Array.from({ length: items * FACTORS }, () => random.nextGaussian()),
    });
    const places = model.artifact.placeIds.map((placeId, p) => ({ placeId, category: `c${p % CATEGORIES}` }));
    const built = performance.now();
    const destination = model.itemsIn(places);
    const buildMs = performance.now() - built;
    const vector = (n: number) =>
      model.artifact.userFactors.subarray((n % users) * FACTORS, ((n % users) + 1) * FACTORS);
    const visited = (n: number) => new Set([`p${n % items}`, `p${(n * 7) % items}`, `p${(n * 13) % items}`]);
    const runs = items > 20_000 ? 300 : 1000;
    const anchor = measure((n) => exactTopK(destination.scorer, vector(n), 20), runs);
    const list = measure((n) => rankWithModel(model, destination, vector(n), visited(n), 50), runs);
    const weights = new Map([
      ['c1', 0.6],
      ['c2', 0.4],
    ]);
    foldInVector(model, destination, weights); // the first one builds the Gram matrix once per version
    const foldIn = measure(() => foldInVector(model, destination, weights), items > 20_000 ? 50 : 200);
    rows.push({
      places: items,
      step: 'exactTopK top-20 (anchor, bench:models)',
      'p50 ms': anchor.p50,
      'p99 ms': anchor.p99,
    });
    rows.push({
      places: items,
      step: 'served list: top-50, visited out, rule, reasons',
      'p50 ms': list.p50,
      'p99 ms': list.p99,
    });
    rows.push({
      places: items,
      step: 'cold start: profile fold-in (one CG solve)',
      'p50 ms': foldIn.p50,
      'p99 ms': foldIn.p99,
    });
    rows.push({
      places: items,
      step: 'destination scorer build (once per catalog version)',
      'p50 ms': buildMs,
      'p99 ms': buildMs,
    });
  }
  printTable(rows);
}

main();
