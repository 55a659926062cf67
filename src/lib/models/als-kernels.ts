/**
 * The hot loops of ALS, apart from everything else so they stay small enough for V8 to optimise
 * and can run unchanged on the main thread or in a worker: the Gram matrix Y^T Y in fixed chunks,
 * and the conjugate-gradient row update of Hu, Koren & Volinsky (2008) in the form `implicit`
 * uses (a few CG steps warm-started from the previous factors, never forming Y^T C_u Y).
 *
 * Work is cut into chunks of ROW_CHUNK rows whose partial results are added in chunk order, so
 * the result is the same bit for bit however the chunks are shared among workers.
 */
export const ROW_CHUNK = 512;

export function chunkCount(rows: number): number {
  return Math.ceil(rows / ROW_CHUNK);
}

/** Adds factors[r]^T factors[r] for rows of chunks [chunkStart, chunkEnd) into out[chunk * k * k ...]. */
export function partialGrams(
  factors: Float32Array,
  rows: number,
  k: number,
  chunkStart: number,
  chunkEnd: number,
  out: Float64Array,
): void {
  const kk = k * k;
  for (let chunk = chunkStart; chunk < chunkEnd; chunk++) {
    const base = chunk * kk;
    out.fill(0, base, base + kk);
    const end = Math.min(rows, (chunk + 1) * ROW_CHUNK);
    for (let r = chunk * ROW_CHUNK; r < end; r++) {
      const o = r * k;
      for (let a = 0; a < k; a++) {
        const va = factors[o + a]!;
        if (va === 0) continue;
        const row = base + a * k;
        for (let b = a; b < k; b++) out[row + b]! += va * factors[o + b]!;
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) out[base + a * k + b] = out[base + b * k + a]!;
  }
}

/** Sums chunk partials in order into `gram` and adds `regularization` on the diagonal. */
export function sumGrams(
  partials: Float64Array,
  chunks: number,
  k: number,
  regularization: number,
  gram: Float64Array,
): void {
  const kk = k * k;
  gram.fill(0, 0, kk);
  for (let chunk = 0; chunk < chunks; chunk++) {
    const base = chunk * kk;
    for (let n = 0; n < kk; n++) gram[n]! += partials[base + n]!;
  }
  for (let a = 0; a < k; a++) gram[a * k + a]! += regularization;
}

/** Sum of confidences 1 + alpha |w| over the stored entries (the ALS loss's normaliser). */
export function totalConfidence(values: Float32Array, alpha: number, out: Float64Array): void {
  let total = 0;
  for (let n = 0; n < values.length; n++) total += 1 + alpha * Math.abs(values[n]!);
  out[0] = total;
}

export interface CgRowsJob {
  /** Factors being solved (rows of `indptr`), updated in place. */
  target: Float32Array;
  /** The other side's factors, fixed during this half-epoch. */
  other: Float32Array;
  /** other^T other + regularization * I. */
  gram: Float64Array;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  k: number;
  alpha: number;
  cgSteps: number;
  chunkStart: number;
  chunkEnd: number;
  rows: number;
  /** When given, per-chunk training-loss sums go to lossOut[chunk] (computed after each row's update). */
  lossOut?: Float64Array;
}

/**
 * One CG solve per row of (G + sum_i (c_i - 1) y_i y_i^T) x = sum_i c_i p_i y_i with
 * c_i = 1 + alpha |w_i| and p_i = 1 if w_i > 0 else 0 (negative weights are confident dislikes).
 */
export function solveRowsCg(job: CgRowsJob): void {
  const { target, other, gram, indptr, indices, values, k, alpha, cgSteps, lossOut } = job;
  const x = new Float64Array(k);
  const r = new Float64Array(k);
  const p = new Float64Array(k);
  const ap = new Float64Array(k);
  for (let chunk = job.chunkStart; chunk < job.chunkEnd; chunk++) {
    let chunkLoss = 0;
    const end = Math.min(job.rows, (chunk + 1) * ROW_CHUNK);
    for (let row = chunk * ROW_CHUNK; row < end; row++) {
      const xo = row * k;
      for (let a = 0; a < k; a++) x[a] = target[xo + a]!;
      const start = indptr[row]!;
      const stop = indptr[row + 1]!;
      // r = b - A x
      gramTimes(gram, x, r, k, -1);
      for (let n = start; n < stop; n++) {
        const w = values[n]!;
        const c = 1 + alpha * (w < 0 ? -w : w);
        const yo = indices[n]! * k;
        const s = dotRow(other, yo, x, k);
        axpyRow(r, other, yo, (w > 0 ? c : 0) - (c - 1) * s, k);
      }
      for (let a = 0; a < k; a++) p[a] = r[a]!;
      let rsOld = dot(r, r, k);
      for (let step = 0; step < cgSteps && rsOld > 1e-20; step++) {
        gramTimes(gram, p, ap, k, 1);
        for (let n = start; n < stop; n++) {
          const w = values[n]!;
          const yo = indices[n]! * k;
          axpyRow(ap, other, yo, alpha * (w < 0 ? -w : w) * dotRow(other, yo, p, k), k);
        }
        const stepSize = rsOld / dot(p, ap, k);
        for (let a = 0; a < k; a++) {
          x[a]! += stepSize * p[a]!;
          r[a]! -= stepSize * ap[a]!;
        }
        const rsNew = dot(r, r, k);
        const beta = rsNew / rsOld;
        for (let a = 0; a < k; a++) p[a] = r[a]! + beta * p[a]!;
        rsOld = rsNew;
      }
      for (let a = 0; a < k; a++) target[xo + a] = x[a]!;
      if (lossOut) {
        // Read back the stored (float32) values so the loss describes the factors actually kept.
        for (let a = 0; a < k; a++) x[a] = target[xo + a]!;
        gramTimes(gram, x, ap, k, 1);
        let rowLoss = dot(x, ap, k);
        for (let n = start; n < stop; n++) {
          const w = values[n]!;
          const c = 1 + alpha * (w < 0 ? -w : w);
          const s = dotRow(other, indices[n]! * k, x, k);
          const miss = (w > 0 ? 1 : 0) - s;
          rowLoss += c * miss * miss - s * s;
        }
        chunkLoss += rowLoss;
      }
    }
    if (lossOut) lossOut[chunk] = chunkLoss;
  }
}

/** out = sign * G v (G symmetric k x k, row-major). */
function gramTimes(gram: Float64Array, v: Float64Array, out: Float64Array, k: number, sign: number): void {
  for (let a = 0, o = 0; a < k; a++, o += k) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let b = 0;
    for (; b + 3 < k; b += 4) {
      s0 += gram[o + b]! * v[b]!;
      s1 += gram[o + b + 1]! * v[b + 1]!;
      s2 += gram[o + b + 2]! * v[b + 2]!;
      s3 += gram[o + b + 3]! * v[b + 3]!;
    }
    for (; b < k; b++) s0 += gram[o + b]! * v[b]!;
    out[a] = sign * (s0 + s1 + s2 + s3);
  }
}

function dotRow(m: Float32Array, offset: number, v: Float64Array, k: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let a = 0;
  for (; a + 3 < k; a += 4) {
    s0 += m[offset + a]! * v[a]!;
    s1 += m[offset + a + 1]! * v[a + 1]!;
    s2 += m[offset + a + 2]! * v[a + 2]!;
    s3 += m[offset + a + 3]! * v[a + 3]!;
  }
  for (; a < k; a++) s0 += m[offset + a]! * v[a]!;
  return s0 + s1 + s2 + s3;
}

function axpyRow(out: Float64Array, m: Float32Array, offset: number, scale: number, k: number): void {
  for (let a = 0; a < k; a++) out[a]! += scale * m[offset + a]!;
}

function dot(u: Float64Array, v: Float64Array, k: number): number {
  let s = 0;
  for (let a = 0; a < k; a++) s += u[a]! * v[a]!;
  return s;
}
