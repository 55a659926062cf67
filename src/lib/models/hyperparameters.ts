/**
 * Training settings for both algorithms, with the ranges. `alpha` and `cgSteps` are used by
 * ALS only, `learningRate` by BPR only; both are always present so a checkpoint records everything.
 */
export type Algorithm = 'als' | 'bpr';

export interface Hyperparameters {
  algorithm: Algorithm;
  factors: number;
  epochs: number;
  regularization: number;
  alpha: number;
  learningRate: number;
  seed: number;
  cgSteps: number;
}

export const DEFAULT_HYPERPARAMETERS: Hyperparameters = {
  algorithm: 'als',
  factors: 64,
  epochs: 15,
  regularization: 0.01,
  alpha: 1,
  learningRate: 0.05,
  seed: 42,
  cgSteps: 3,
};

export function resolveHyperparameters(input: Partial<Hyperparameters> = {}): Hyperparameters {
  const h = { ...DEFAULT_HYPERPARAMETERS, ...input };
  const problems: string[] = [];
  if (h.algorithm !== 'als' && h.algorithm !== 'bpr') problems.push('algorithm: must be als or bpr');
  const whole = (name: keyof Hyperparameters, min: number, max: number) => {
    const v = h[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      problems.push(`${name}: must be a whole number from ${min} to ${max}`);
  };
  const positive = (name: keyof Hyperparameters, allowZero: boolean) => {
    const v = h[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
      problems.push(`${name}: must be a finite number ${allowZero ? 'of at least 0' : 'above 0'}`);
    }
  };
  whole('factors', 8, 256);
  whole('epochs', 1, 200);
  whole('seed', 0, 0xffffffff);
  whole('cgSteps', 1, 10);
  positive('regularization', true);
  positive('alpha', false);
  positive('learningRate', false);
  if (problems.length > 0) throw new RangeError(`hyperparameters: ${problems.join('; ')}`);
  return h;
}
