import { chunkCount, ROW_CHUNK } from './als-kernels';
import type { BprEpochResult } from './bpr-kernel';
import { resolveHyperparameters, type Hyperparameters } from './hyperparameters';
import type { InteractionMatrix } from './interaction-matrix';
import { inProcessRunner, type TaskRunner } from './model-tasks';
import { SeededRandom } from './random';
import { nonZeros, sharedFloat32, type SparseMatrix } from './sparse-matrix';
import { cloneTrainingState, type TrainingState } from './training-state';

/**
 * The one interface every algorithm honours: a starting state from the seed, and one epoch from a
 * state to the next. Callers (the training workflow, tests, the benchmark) never branch on the
 * algorithm; they save the state between epochs and may resume from it anywhere.
 */
export function initialTrainingState(
  matrix: InteractionMatrix,
  input: Partial<Hyperparameters>,
): TrainingState {
  const hyperparameters = resolveHyperparameters(input);
  const k = hyperparameters.factors;
  const random = SeededRandom.fromSeed(hyperparameters.seed);
  const users = matrix.byUser.rows;
  const items = matrix.byUser.cols;
  const userFactors = sharedFloat32(users * k);
  const itemFactors = sharedFloat32(items * k);
  // ALS starts where `implicit` does (uniform * 0.01). BPR starts wider than `implicit`'s
  // (u - 0.5) / k: with vectors that small the first epochs barely move (measured on the planted set).
  const draw =
    hyperparameters.algorithm === 'als' ? () => random.next() * 0.01 : () => (random.next() - 0.5) * 0.2;
  for (let n = 0; n < userFactors.length; n++) userFactors[n] = draw();
  for (let n = 0; n < itemFactors.length; n++) itemFactors[n] = draw();
  return {
    hyperparameters,
    users,
    items,
    epoch: 0,
    userFactors,
    itemFactors,
    random: random.state(),
    losses: [],
    epochSeconds: [],
  };
}

export async function trainEpoch(
  state: TrainingState,
  matrix: InteractionMatrix,
  runner: TaskRunner = inProcessRunner,
): Promise<TrainingState> {
  if (state.users !== matrix.byUser.rows || state.items !== matrix.byUser.cols) {
    throw new RangeError(
      `training state is ${state.users} x ${state.items} but the matrix is ${matrix.byUser.rows} x ${matrix.byUser.cols}`,
    );
  }
  const started = performance.now();
  const next = cloneTrainingState(state, false);
  await Promise.all([
    runner.run({ kind: 'copy', from: state.userFactors, to: next.userFactors }),
    runner.run({ kind: 'copy', from: state.itemFactors, to: next.itemFactors }),
  ]);
  const loss =
    state.hyperparameters.algorithm === 'als'
      ? await alsEpoch(next, matrix, runner)
      : await bprEpochOn(next, matrix, runner);
  next.epoch += 1;
  next.losses.push(loss);
  next.epochSeconds.push((performance.now() - started) / 1000);
  return next;
}

/** Users against places, then places against users; the loss is computed during the place half. */
async function alsEpoch(
  state: TrainingState,
  matrix: InteractionMatrix,
  runner: TaskRunner,
): Promise<number> {
  const h = state.hyperparameters;
  const itemGram = await gram(state.itemFactors, state.items, h.factors, h.regularization, runner);
  await solveHalf(state.userFactors, state.itemFactors, itemGram, matrix.byUser, h, runner, null);
  const userGram = await gram(state.userFactors, state.users, h.factors, h.regularization, runner);
  const lossOut = sharedFloat64(chunkCount(state.items));
  await solveHalf(state.itemFactors, state.userFactors, userGram, matrix.byPlace, h, runner, lossOut);
  let loss = 0;
  for (let c = 0; c < chunkCount(state.items); c++) loss += lossOut[c]!;
  let userNorms = 0; // trace of X^T X, without the regularisation added on its diagonal
  for (let a = 0; a < h.factors; a++) userNorms += userGram[a * h.factors + a]! - h.regularization;
  loss += h.regularization * userNorms;
  const confidence = sharedFloat64(1);
  await runner.run({ kind: 'confidence', values: matrix.byUser.values, alpha: h.alpha, out: confidence });
  const nnz = nonZeros(matrix.byUser);
  return loss / (confidence[0]! + state.users * state.items - nnz);
}

async function gram(
  factors: Float32Array,
  rows: number,
  k: number,
  regularization: number,
  runner: TaskRunner,
) {
  const chunks = chunkCount(rows);
  const partials = sharedFloat64(chunks * k * k);
  await Promise.all(
    split(chunks, taskCount(runner), () => 1).map(([chunkStart, chunkEnd]) =>
      runner.run({ kind: 'gram', factors, rows, k, chunkStart, chunkEnd, out: partials }),
    ),
  );
  const summed = sharedFloat64(k * k);
  await runner.run({ kind: 'sumGram', partials, chunks, k, regularization, out: summed });
  return summed;
}

/**
 * Everything of O(entries) or O(rows x k) runs in tasks; what stays on the calling thread is
 * O(chunks) bookkeeping, so the event loop stays free while a pool does the epoch.
 */
function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(1, length) * 8), 0, length);
}

async function solveHalf(
  target: Float32Array,
  other: Float32Array,
  gramMatrix: Float64Array,
  matrix: SparseMatrix,
  h: Hyperparameters,
  runner: TaskRunner,
  lossOut: Float64Array | null,
) {
  const k = h.factors;
  const chunks = chunkCount(matrix.rows);
  // Cost of a chunk: the k x k products per row and CG step, plus the per-entry dot/axpy pairs.
  const cost = (chunk: number) => {
    const first = chunk * ROW_CHUNK;
    const last = Math.min(matrix.rows, first + ROW_CHUNK);
    return (last - first) * k * k + 2 * k * (matrix.indptr[last]! - matrix.indptr[first]!);
  };
  await Promise.all(
    split(chunks, taskCount(runner), cost).map(([chunkStart, chunkEnd]) =>
      runner.run({
        kind: 'cg',
        target,
        other,
        gram: gramMatrix,
        indptr: matrix.indptr,
        indices: matrix.indices,
        values: matrix.values,
        k,
        alpha: h.alpha,
        cgSteps: h.cgSteps,
        chunkStart,
        chunkEnd,
        rows: matrix.rows,
        ...(lossOut ? { lossOut } : {}),
      }),
    ),
  );
}

/**
 * Tasks per half-epoch: a few per worker rather than one, so a worker that finishes early (or one
 * whose core the OS lent to another process) takes the next range instead of idling at the join.
 * Chunk results are combined in chunk order, so the bytes do not depend on this number.
 */
const TASKS_PER_WORKER = 4;

function taskCount(runner: TaskRunner): number {
  return runner.parallelism > 1 ? runner.parallelism * TASKS_PER_WORKER : 1;
}

/** Contiguous chunk ranges of about equal cost, `parts` of them at most. */
export function split(
  chunks: number,
  parts: number,
  cost: (chunk: number) => number,
): Array<[number, number]> {
  if (parts <= 1 || chunks <= 1) return chunks > 0 ? [[0, chunks]] : [];
  let total = 0;
  for (let c = 0; c < chunks; c++) total += cost(c);
  const ranges: Array<[number, number]> = [];
  let start = 0;
  let acc = 0;
  for (let c = 0; c < chunks; c++) {
    acc += cost(c);
    if (acc >= (total * (ranges.length + 1)) / parts && c + 1 < chunks) {
      ranges.push([start, c + 1]);
      start = c + 1;
    }
  }
  ranges.push([start, chunks]);
  return ranges;
}

async function bprEpochOn(
  state: TrainingState,
  matrix: InteractionMatrix,
  runner: TaskRunner,
): Promise<number> {
  const h = state.hyperparameters;
  const m = matrix.byUser;
  const result = (await runner.run({
    kind: 'bpr',
    userFactors: state.userFactors,
    itemFactors: state.itemFactors,
    indptr: m.indptr,
    indices: m.indices,
    values: m.values,
    rows: m.rows,
    cols: m.cols,
    k: h.factors,
    learningRate: h.learningRate,
    regularization: h.regularization,
    random: state.random,
  })) as BprEpochResult;
  state.random = result.random;
  return result.loss;
}
