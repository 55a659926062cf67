import { ALS_CG_WASM_BASE64 } from './als-cg-wasm';
import { ROW_CHUNK, type CgRowsJob } from './als-kernels';

const compiled = new WebAssembly.Module(Buffer.from(ALS_CG_WASM_BASE64, 'base64'));
const PAGE = 65536;
const LANES = 16;

interface Instance {
  memory: WebAssembly.Memory;
  solveRows: (...args: number[]) => void;
  partialGram: (factors: number, rows: number, k: number, kp: number, out: number, scratch: number) => void;
}
let instance: Instance | undefined; // one per thread, grown as needed

/**
 * solveRowsCg (als-kernels.ts) on WebAssembly SIMD: the job's slice of the problem (Gram matrix,
 * the other side's factors, the target rows and their entries) is copied into this thread's module
 * memory, solved there in float32, and the rows copied back. The copies cost a few milliseconds
 * per half-epoch; the SIMD solve is what brings ALS past 1 M interactions/s/core (README).
 */
export function solveRowsSimd(job: CgRowsJob): void {
  const { k, rows, indptr } = job;
  const kp = Math.ceil(k / LANES) * LANES;
  const kb = kp * 4;
  const firstRow = job.chunkStart * ROW_CHUNK;
  const endRow = Math.min(rows, job.chunkEnd * ROW_CHUNK);
  const count = endRow - firstRow;
  if (count <= 0) return;
  const firstEntry = indptr[firstRow]!;
  const entries = indptr[endRow]! - firstEntry;
  const otherRows = job.other.length / k;

  let at = 0;
  const take = (bytes: number) => {
    const start = at;
    at += Math.ceil(bytes / 16) * 16;
    return start;
  };
  const gramAt = take(kp * kb);
  const otherAt = take(otherRows * kb);
  const targetAt = take(count * kb);
  const indptrAt = take((count + 1) * 4);
  const indicesAt = take(entries * 4);
  const valuesAt = take(entries * 4);
  const scratchAt = take(3 * kb);
  const lossAt = job.lossOut ? take(count * 8) : 0;
  const wasm = instanceWithBytes(at);
  const buffer = wasm.memory.buffer;

  const gram = new Float32Array(buffer, gramAt, kp * kp);
  gram.fill(0);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) gram[a * kp + b] = job.gram[a * k + b]!;
  copyRows(job.other, 0, otherRows, k, new Float32Array(buffer, otherAt, otherRows * kp), kp);
  const target = new Float32Array(buffer, targetAt, count * kp);
  copyRows(job.target, firstRow, count, k, target, kp);
  new Int32Array(buffer, indptrAt, count + 1).set(indptr.subarray(firstRow, endRow + 1));
  new Int32Array(buffer, indicesAt, entries).set(job.indices.subarray(firstEntry, firstEntry + entries));
  new Float32Array(buffer, valuesAt, entries).set(job.values.subarray(firstEntry, firstEntry + entries));

  wasm.solveRows(
    gramAt,
    otherAt,
    targetAt,
    indptrAt,
    indicesAt,
    valuesAt,
    firstEntry,
    count,
    kp,
    job.alpha,
    job.cgSteps,
    scratchAt,
    lossAt,
  );

  for (let row = 0; row < count; row++) {
    for (let f = 0; f < k; f++) job.target[(firstRow + row) * k + f] = target[row * kp + f]!;
  }
  if (job.lossOut) {
    const losses = new Float64Array(buffer, lossAt, count);
    for (let chunk = job.chunkStart; chunk < job.chunkEnd; chunk++) {
      let sum = 0;
      const end = Math.min(endRow, (chunk + 1) * ROW_CHUNK);
      for (let row = chunk * ROW_CHUNK; row < end; row++) sum += losses[row - firstRow]!;
      job.lossOut[chunk] = sum;
    }
  }
}

/**
 * partialGrams (als-kernels.ts) in WebAssembly, f64x2: the same float64 numbers bit for bit (a test
 * checks), at a fraction of the time; the JavaScript loop was about a third of an ALS epoch.
 */
export function partialGramsSimd(
  factors: Float32Array,
  rows: number,
  k: number,
  chunkStart: number,
  chunkEnd: number,
  out: Float64Array,
): void {
  const kp = k + (k % 2);
  const kk = k * k;
  const factorsAt = 0;
  const outAt = Math.ceil((ROW_CHUNK * k * 4) / 16) * 16;
  const scratchAt = outAt + kp * kp * 8;
  const wasm = instanceWithBytes(scratchAt + kp * 8);
  const buffer = wasm.memory.buffer;
  const sums = new Float64Array(buffer, outAt, kp * kp);
  new Float64Array(buffer, scratchAt, kp).fill(0);
  for (let chunk = chunkStart; chunk < chunkEnd; chunk++) {
    const first = chunk * ROW_CHUNK;
    const end = Math.min(rows, first + ROW_CHUNK);
    new Float32Array(buffer, factorsAt, (end - first) * k).set(factors.subarray(first * k, end * k));
    sums.fill(0);
    wasm.partialGram(factorsAt, end - first, k, kp, outAt, scratchAt);
    const base = chunk * kk;
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        const v = sums[a * kp + b]!;
        out[base + a * k + b] = v;
        out[base + b * k + a] = v;
      }
    }
  }
}

function copyRows(
  from: Float32Array,
  firstRow: number,
  count: number,
  k: number,
  to: Float32Array,
  kp: number,
): void {
  if (k === kp) {
    to.set(from.subarray(firstRow * k, (firstRow + count) * k));
    return;
  }
  to.fill(0);
  for (let row = 0; row < count; row++) {
    for (let f = 0; f < k; f++) to[row * kp + f] = from[(firstRow + row) * k + f]!;
  }
}

function instanceWithBytes(bytes: number): Instance {
  if (!instance) {
    const created = new WebAssembly.Instance(compiled);
    instance = {
      memory: created.exports.memory as WebAssembly.Memory,
      solveRows: created.exports.solveRows as Instance['solveRows'],
      partialGram: created.exports.partialGram as Instance['partialGram'],
    };
  }
  const missing = Math.ceil(bytes / PAGE) - instance.memory.buffer.byteLength / PAGE;
  if (missing > 0) instance.memory.grow(missing);
  return instance;
}
