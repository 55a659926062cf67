import { partialGramsSimd } from '../../../src/lib/models/als-cg-simd';
import { chunkCount, partialGrams } from '../../../src/lib/models/als-kernels';
import { SeededRandom } from '../../../src/lib/models/random';

// The WebAssembly Gram kernel replaces the JavaScript one in training; resumed runs and artifact
// hashes stay what they were only if it gives the same float64 bits, so this compares bits.
describe('partialGramsSimd', () => {
  it.each([64, 17, 1])('equals partialGrams bit for bit at %i factors, zeros included', (k) => {
    const rows = 1300; // two full chunks and a partial one
    const random = SeededRandom.fromSeed(k);
    const factors = Float32Array.from({ length: rows * k }, () =>
      random.next() < 0.1 ? 0 : random.nextGaussian() * 10 ** (random.next() * 4 - 2),
    );
    const chunks = chunkCount(rows);
    const expected = new Float64Array(chunks * k * k);
    const got = new Float64Array(chunks * k * k).fill(Number.NaN);
    partialGrams(factors, rows, k, 0, chunks, expected);
    partialGramsSimd(factors, rows, k, 1, chunks, got);
    partialGramsSimd(factors, rows, k, 0, 1, got); // chunk ranges as two workers would take them
    expect(Buffer.from(got.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
  });
});
