/**
 * A seeded generator whose whole state is four 32-bit words (xoshiro128**), so a training
 * checkpoint can store it and a resumed run draws exactly the numbers the uninterrupted run would.
 * Math.random cannot be seeded or saved; that is the whole reason this file exists.
 */
export type RandomState = [number, number, number, number];

export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  private constructor(state: RandomState) {
    [this.s0, this.s1, this.s2, this.s3] = state.map((word) => word >>> 0) as RandomState;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0)
      throw new Error('random state: all four words are zero');
  }

  /** Spreads a 32-bit seed over the four words with splitmix32, so nearby seeds give unrelated streams. */
  static fromSeed(seed: number): SeededRandom {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed: must be a whole number from 0 to 4294967295, got ${seed}`);
    }
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    return new SeededRandom([next(), next(), next(), next()]);
  }

  static fromState(state: RandomState): SeededRandom {
    if (
      !Array.isArray(state) ||
      state.length !== 4 ||
      !state.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)
    ) {
      throw new Error('random state: must be four whole numbers from 0 to 4294967295');
    }
    return new SeededRandom(state);
  }

  state(): RandomState {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform whole number in [0, bound); bound up to 2^32. Slightly biased for huge bounds, which we never use. */
  nextInt(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** Standard normal by Box-Muller (uses two draws; no cached spare, so the state alone says what comes next). */
  nextGaussian(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
