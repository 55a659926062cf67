import { SeededRandom, type RandomState } from './random';

/**
 * One BPR epoch (Rendle et al. 2009) by SGD, as `implicit` does it: as many samples as stored
 * entries; each picks a stored positive (user u, place i) and a random place j the user has not
 * touched, and moves x_u, y_i, y_j up the gradient of ln sigmoid(x_u . (y_i - y_j)). Sequential on
 * purpose: lock-free parallel SGD (Hogwild) would make runs unrepeatable, and resuming a run bit for
 * bit is a requirement.
 */
export interface BprEpochJob {
  userFactors: Float32Array;
  itemFactors: Float32Array;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  rows: number;
  cols: number;
  k: number;
  learningRate: number;
  regularization: number;
  random: RandomState;
}

export interface BprEpochResult {
  random: RandomState;
  /** Mean -ln sigmoid(x_uij) over the updates made. */
  loss: number;
  updates: number;
}

export function bprEpoch(job: BprEpochJob): BprEpochResult {
  const {
    userFactors: X,
    itemFactors: Y,
    indptr,
    indices,
    values,
    rows,
    cols,
    k,
    learningRate: lr,
    regularization: reg,
  } = job;
  const nnz = indptr[rows]!;
  const rowOf = new Int32Array(nnz);
  for (let r = 0; r < rows; r++) rowOf.fill(r, indptr[r]!, indptr[r + 1]!);
  const random = SeededRandom.fromState(job.random);
  let lossSum = 0;
  let updates = 0;
  for (let sample = 0; sample < nnz; sample++) {
    const n = random.nextInt(nnz);
    const j = random.nextInt(cols);
    if (!(values[n]! > 0)) continue; // dislikes are not positives
    const u = rowOf[n]!;
    if (contains(indices, indptr[u]!, indptr[u + 1]!, j)) continue;
    const uo = u * k;
    const io = indices[n]! * k;
    const jo = j * k;
    let score = 0;
    for (let f = 0; f < k; f++) score += X[uo + f]! * (Y[io + f]! - Y[jo + f]!);
    const z = 1 / (1 + Math.exp(score));
    lossSum += score > 0 ? Math.log1p(Math.exp(-score)) : -score + Math.log1p(Math.exp(score));
    updates++;
    for (let f = 0; f < k; f++) {
      const xu = X[uo + f]!;
      const yi = Y[io + f]!;
      const yj = Y[jo + f]!;
      X[uo + f] = xu + lr * (z * (yi - yj) - reg * xu);
      Y[io + f] = yi + lr * (z * xu - reg * yi);
      Y[jo + f] = yj + lr * (-z * xu - reg * yj);
    }
  }
  return { random: random.state(), loss: updates > 0 ? lossSum / updates : 0, updates };
}

function contains(sorted: Int32Array, start: number, end: number, value: number): boolean {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
