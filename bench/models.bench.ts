/**
 * npm run bench:models — the recommendation models, with the anchors printed beside them.
 *
 * 1. Training throughput on SYNTHETIC planted-taste data, 50,000 users x 10,000 places x 1.6 M
 *    distinct interactions, 64 factors: ALS (WebAssembly SIMD CG kernel) with 1 and 2 worker threads,
 *    the plain float64 JavaScript CG kernel in one thread, and BPR (sequential by design) in 1 worker.
 *    Per core = entries / wall seconds / threads; also entries per CPU-second (all threads), which a
 *    busy shared machine distorts less. Anchor: implicit's published CPU figures.
 * 2. Serving: exact top-20 for one user over 10,000 and 100,000 items at 64 factors, p50/p99, beside
 *    a plain Float32Array loop + sort in the same run.
 * 3. Quality: recall@20 and NDCG@10 against popularity on the synthetic set (holdout: each user's
 *    last 2 liked places by time; 5,000 evaluated users), and on a small real fixture, vega-datasets'
 *    flights-airport.csv (origin airports as users, destinations as places, log(1 + flights) as
 *    weights; it has no times, so each origin's held-out destinations are drawn with a fixed seed).
 *
 * BENCH_ONLY=serving (or training, quality; comma-separated) runs only those parts.
 * BENCH_SCALE=0.2 runs everything on a fifth of the data (a quick look); the README's figures are
 * from the default, full scale.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rankingMetrics } from '../src/lib/models/evaluation';
import { ExactScorer } from '../src/lib/models/exact-scorer';
import { holdoutByTime } from '../src/lib/models/holdout';
import type { Hyperparameters } from '../src/lib/models/hyperparameters';
import { matrixFromLog, type InteractionLog } from '../src/lib/models/interaction-log';
import type { InteractionMatrix } from '../src/lib/models/interaction-matrix';
import { runModelTask, type TaskRunner } from '../src/lib/models/model-tasks';
import { popularityRanking, popularityTopK } from '../src/lib/models/popularity';
import { SeededRandom } from '../src/lib/models/random';
import { nonZeros } from '../src/lib/models/sparse-matrix';
import { plantedTasteData } from '../src/lib/models/synthetic-data';
import { exactTopK } from '../src/lib/models/top-k';
import { initialTrainingState, trainEpoch } from '../src/lib/models/training';
import type { TrainingState } from '../src/lib/models/training-state';
import { ModelWorkerPool } from '../src/lib/models/worker-pool';
import { percentile, printTable } from './bench-stats';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 3);
const FACTORS = 64;
/** BENCH_ONLY=training,serving,quality picks parts (default: all), for a quick re-measure of one. */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'training,serving,quality').split(','));

function load(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
}

async function timeEpochs(
  label: string,
  matrix: InteractionMatrix,
  hyper: Partial<Hyperparameters>,
  runner: TaskRunner,
  threads: number,
  epochs = EPOCHS,
) {
  let state = initialTrainingState(matrix, { ...hyper, factors: FACTORS, seed: 1 });
  state = await trainEpoch(state, matrix, runner); // warm-up: JIT, workers' module memory
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  for (let e = 0; e < epochs; e++) state = await trainEpoch(state, matrix, runner);
  const wall = (performance.now() - wallStart) / 1000 / epochs;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6 / epochs;
  const entries = nonZeros(matrix.byUser);
  return {
    case: label,
    threads,
    's/epoch': wall,
    'M entries/s/core (wall)': entries / wall / threads / 1e6,
    'M entries/CPU-s': entries / cpuSeconds / 1e6,
    loss: state.losses.at(-1)!,
  };
}

async function training(matrix: InteractionMatrix) {
  console.log(
    `\n## Training: ${matrix.byUser.rows} users x ${matrix.byUser.cols} places x ${nonZeros(matrix.byUser)} entries, ${FACTORS} factors (load ${load()})`,
  );
  const reference: TaskRunner = {
    parallelism: 1,
    run: async (task) => runModelTask(task.kind === 'cg' ? { ...task, kernel: 'reference' } : task),
  };
  const rows = [];
  const one = new ModelWorkerPool({ threads: 1 });
  rows.push(await timeEpochs('ALS, SIMD kernel', matrix, { algorithm: 'als' }, one, 1));
  const two = new ModelWorkerPool({ threads: 2 });
  rows.push(await timeEpochs('ALS, SIMD kernel', matrix, { algorithm: 'als' }, two, 2));
  await two.close();
  rows.push(
    await timeEpochs('ALS, plain JS kernel (float64)', matrix, { algorithm: 'als' }, reference, 1, 1),
  );
  rows.push(await timeEpochs('BPR (sequential SGD)', matrix, { algorithm: 'bpr' }, one, 1));
  await one.close();
  printTable(rows);
  console.log(
    'anchor  implicit (published, CPU): last.fm 360k @64 factors 2.32 s/iteration on an 8-core i7-7820X;',
  );
  console.log(
    '        MovieLens-20M (>= 4 stars) 0.84 s/iteration; about 1-1.5 M entries/s/core. Plain TS here before: 0.33 M.',
  );
  const als1 = rows[0]!['M entries/s/core (wall)'];
  const als2 = rows[1]!['M entries/s/core (wall)'] * 2;
  console.log(`ALS speed-up with 2 workers: ${(als2 / als1).toFixed(2)}x (load ${load()})`);
}

function serving() {
  console.log(`\n## Serving: exact top-20 for one user, ${FACTORS} factors (load ${load()})`);
  const rows = [];
  for (const items of [10_000, 100_000]) {
    const random = SeededRandom.fromSeed(items);
    const itemFactors = Float32Array.from({ length: items * FACTORS }, () => random.nextGaussian());
    const users = Array.from({ length: 200 }, () =>
      Float32Array.from({ length: FACTORS }, () => random.nextGaussian()),
    );
    const scorer = new ExactScorer(itemFactors, items, FACTORS);
    // The anchor: a plain scalar loop over Float32Array and a sorted list of the best 20.
    const plain = (user: Float32Array) => {
      const best: Array<{ item: number; score: number }> = [];
      for (let i = 0, o = 0; i < items; i++, o += FACTORS) {
        let s = 0;
        for (let f = 0; f < FACTORS; f++) s += itemFactors[o + f]! * user[f]!;
        if (best.length === 20 && s <= best[19]!.score) continue;
        let at = best.length === 20 ? 19 : best.length;
        if (best.length < 20) best.push({ item: i, score: s });
        while (at > 0 && best[at - 1]!.score < s) {
          best[at] = best[at - 1]!;
          at--;
        }
        best[at] = { item: i, score: s };
      }
      return best.map((b) => b.item);
    };
    const measure = (fn: (user: Float32Array) => unknown, runs: number) => {
      for (let n = 0; n < 20; n++) fn(users[n % users.length]!);
      const times: number[] = [];
      // CPU time per query too: on a shared machine the wall p99 is mostly time spent descheduled.
      const cpuTimes: number[] = [];
      for (let n = 0; n < runs; n++) {
        const cpu = process.cpuUsage();
        const started = performance.now();
        fn(users[n % users.length]!);
        times.push(performance.now() - started);
        const used = process.cpuUsage(cpu);
        cpuTimes.push((used.user + used.system) / 1000);
      }
      times.sort((a, b) => a - b);
      cpuTimes.sort((a, b) => a - b);
      return { p50: percentile(times, 50), p99: percentile(times, 99), cpuP99: percentile(cpuTimes, 99) };
    };
    const simd = measure((u) => exactTopK(scorer, u, 20), 2000);
    const base = measure(plain, items > 20_000 ? 300 : 1000);
    // Same answer as the plain loop (as sets: the plain loop sorts float32 scores).
    const agree = users.slice(0, 20).every((u) => {
      const a = new Set(exactTopK(scorer, u, 20).map((r) => r.item));
      return plain(u).filter((i) => a.has(i)).length >= 19;
    });
    rows.push({
      items,
      means: 'int8 SIMD screen + narrowing + float64 re-check',
      'p50 ms': simd.p50,
      'p99 ms': simd.p99,
      'CPU p99 ms': simd.cpuP99,
      exact: 'yes',
    });
    rows.push({
      items,
      means: 'plain Float32Array loop + sorted list (anchor)',
      'p50 ms': base.p50,
      'p99 ms': base.p99,
      'CPU p99 ms': base.cpuP99,
      exact: agree ? 'same top-20' : 'DIFFERS',
    });
  }
  printTable(rows);
  console.log(
    'anchor  issue figures: plain loop 1.1/2.2 ms (10k), 16/30 ms (100k); onnxruntime-node 0.86/1.44 ms (100k). Goal < 2 ms p99 at 100k.',
  );
}

async function quality(
  log: InteractionLog,
  label: string,
  hyper: Partial<Hyperparameters>[],
  pool: ModelWorkerPool,
  evaluate: number,
  ks: [number, number],
) {
  const split = holdoutByTime(log, { perUser: 2, minTrain: 3 });
  const sample = SeededRandom.fromSeed(9);
  const users =
    split.users.length <= evaluate ? split.users : Int32Array.from(pickSorted(split.users, evaluate, sample));
  const count = Math.max(...ks);
  const rows = [];
  const popular = popularityTopK(popularityRanking(split.train), split.train, users, count);
  const row = (name: string, lists: Int32Array) => {
    const a = rankingMetrics(lists, count, users, split.heldOut, ks[0], split.train.byUser.cols);
    const b = rankingMetrics(lists, count, users, split.heldOut, ks[1], split.train.byUser.cols);
    return {
      model: name,
      users: a.users,
      [`recall@${ks[0]}`]: a.recall,
      [`NDCG@${ks[1]}`]: b.ndcg,
      [`coverage@${ks[0]}`]: a.coverage,
    };
  };
  rows.push(row('popularity', popular));
  for (const h of hyper) {
    let state: TrainingState = initialTrainingState(split.train, h);
    for (let e = 0; e < h.epochs!; e++) state = await pool.trainEpoch(state, split.train);
    const { items } = await pool.scoreUsers(
      state.userFactors,
      state.itemFactors,
      h.factors!,
      split.train,
      users,
      count,
    );
    rows.push(row(`${h.algorithm} (${h.factors} factors, ${h.epochs} epochs)`, items));
  }
  console.log(`\n## Quality: ${label}`);
  printTable(rows);
}

function pickSorted(from: Int32Array, count: number, random: SeededRandom): number[] {
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(from[random.nextInt(from.length)]!);
  return [...chosen].sort((a, b) => a - b);
}

function flightsLog(): InteractionLog {
  const csv = fs.readFileSync(
    path.resolve(__dirname, '../node_modules/vega-datasets/data/flights-airport.csv'),
    'utf8',
  );
  const rows = csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','))
    .map(([origin, destination, count]) => ({
      origin: origin!,
      destination: destination!,
      count: Number(count),
    }));
  const userIds = [...new Set(rows.map((r) => r.origin))].sort();
  const placeIds = [...new Set(rows.map((r) => r.destination))].sort();
  const random = SeededRandom.fromSeed(5);
  return {
    userIds,
    placeIds,
    user: Int32Array.from(rows.map((r) => userIds.indexOf(r.origin))),
    place: Int32Array.from(rows.map((r) => placeIds.indexOf(r.destination))),
    weight: Float32Array.from(rows.map((r) => Math.log1p(r.count))),
    time: Float64Array.from(rows.map(() => random.next())), // no times in the data: a seeded order
  };
}

async function main() {
  console.log(
    `bench:models on ${os.cpus().length} cores (${os.cpus()[0]?.model}), Node ${process.version}, scale ${SCALE}`,
  );
  const started = performance.now();
  const data = plantedTasteData({
    users: Math.round(50_000 * SCALE),
    places: Math.round(10_000 * SCALE),
    interactions: Math.round(1_600_000 * SCALE),
    categories: 20,
    seed: 1,
    distinctPairs: true,
  });
  const matrix = matrixFromLog(data.log);
  console.log(
    `synthetic data (planted tastes) generated in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  if (ONLY.has('training')) await training(matrix);
  if (ONLY.has('serving')) serving();
  if (!ONLY.has('quality')) return;
  const pool = new ModelWorkerPool({ threads: 2 });
  await quality(
    data.log,
    'SYNTHETIC planted tastes (same set), last 2 liked places per user held out',
    [
      { algorithm: 'als', factors: FACTORS, epochs: 10, regularization: 0.1, alpha: 1, seed: 1 },
      { algorithm: 'bpr', factors: FACTORS, epochs: 10, regularization: 0.01, learningRate: 0.05, seed: 1 },
    ],
    pool,
    5000,
    [20, 10],
  );
  await quality(
    flightsLog(),
    'REAL fixture: vega-datasets flights-airport.csv (origins as users, destinations as places), 2 held out per origin',
    [
      { algorithm: 'als', factors: 16, epochs: 15, regularization: 0.1, alpha: 2, seed: 1 },
      { algorithm: 'bpr', factors: 16, epochs: 60, regularization: 0.01, learningRate: 0.05, seed: 1 },
    ],
    pool,
    10_000,
    [10, 10],
  );
  await pool.close();
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s, load ${load()}`);
}

void main();
