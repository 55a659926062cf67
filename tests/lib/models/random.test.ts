import { SeededRandom } from '../../../src/lib/models/random';

describe('SeededRandom', () => {
  it('gives the same stream for the same seed and different streams for nearby seeds', () => {
    const a = SeededRandom.fromSeed(1);
    const b = SeededRandom.fromSeed(1);
    const c = SeededRandom.fromSeed(2);
    const drawsA = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(drawsA);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(drawsA);
  });

  it('continues exactly from a saved state', () => {
    const original = SeededRandom.fromSeed(99);
    for (let n = 0; n < 1000; n++) original.next();
    const saved = JSON.parse(JSON.stringify(original.state()));
    const resumed = SeededRandom.fromState(saved);
    expect(Array.from({ length: 20 }, () => resumed.nextGaussian())).toEqual(
      Array.from({ length: 20 }, () => original.nextGaussian()),
    );
  });

  it('draws uniformly enough: mean near 1/2, ints inside their bound', () => {
    const random = SeededRandom.fromSeed(5);
    let sum = 0;
    for (let n = 0; n < 20000; n++) sum += random.next();
    expect(sum / 20000).toBeCloseTo(0.5, 1);
    for (let n = 0; n < 1000; n++) {
      const v = random.nextInt(7);
      expect(v >= 0 && v < 7 && Number.isInteger(v)).toBe(true);
    }
  });

  it('refuses bad seeds and states by name', () => {
    expect(() => SeededRandom.fromSeed(-1)).toThrow(/seed: must be a whole number/);
    expect(() => SeededRandom.fromState([0, 0, 0, 0])).toThrow(/all four words are zero/);
    expect(() => SeededRandom.fromState([1, 2, 3] as never)).toThrow(/four whole numbers/);
  });
});
