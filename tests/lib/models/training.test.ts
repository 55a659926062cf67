import { initialTrainingState, trainEpoch } from '../../../src/lib/models/training';
import {
  inProcessRunner,
  runModelTask,
  type ModelTask,
  type TaskRunner,
} from '../../../src/lib/models/model-tasks';
import {
  CorruptCheckpointError,
  deserializeTrainingState,
  serializeTrainingState,
  type TrainingState,
} from '../../../src/lib/models/training-state';
import type { Algorithm } from '../../../src/lib/models/hyperparameters';
import { bytesOf, smallPlantedData } from './model-fixtures';

const { matrix } = smallPlantedData();

async function train(state: TrainingState, epochs: number, runner: TaskRunner = inProcessRunner) {
  let current = state;
  for (let e = 0; e < epochs; e++) current = await trainEpoch(current, matrix, runner);
  return current;
}

describe.each<Algorithm>(['als', 'bpr'])('%s training', (algorithm) => {
  const hyper = { algorithm, factors: 16, seed: 11, learningRate: 0.05 };

  it('lowers the training loss over epochs', async () => {
    const trained = await train(initialTrainingState(matrix, hyper), 6);
    expect(trained.epoch).toBe(6);
    expect(trained.losses).toHaveLength(6);
    expect(trained.losses[5]!).toBeLessThan(trained.losses[0]! * 0.98);
    expect(trained.epochSeconds.every((s) => s >= 0)).toBe(true);
  });

  it('resumed from serialized bytes after epoch 2 ends bit-identical to an uninterrupted run', async () => {
    const uninterrupted = await train(initialTrainingState(matrix, hyper), 5);
    const firstLeg = await train(initialTrainingState(matrix, hyper), 2);
    const resumed = await train(await deserializeTrainingState(await serializeTrainingState(firstLeg)), 3);
    expect(bytesOf(resumed.userFactors).equals(bytesOf(uninterrupted.userFactors))).toBe(true);
    expect(bytesOf(resumed.itemFactors).equals(bytesOf(uninterrupted.itemFactors))).toBe(true);
    expect(resumed.random).toEqual(uninterrupted.random);
    expect(resumed.losses).toEqual(uninterrupted.losses);
  });

  it('gives the same factors however the work is split among runners', async () => {
    // A runner that claims four lanes splits every half-epoch into four tasks, as a pool would.
    const fourLanes: TaskRunner = { parallelism: 4, run: async (task: ModelTask) => runModelTask(task) };
    const single = await train(initialTrainingState(matrix, hyper), 2);
    const split = await train(initialTrainingState(matrix, hyper), 2, fourLanes);
    expect(bytesOf(split.userFactors).equals(bytesOf(single.userFactors))).toBe(true);
    expect(bytesOf(split.itemFactors).equals(bytesOf(single.itemFactors))).toBe(true);
  });

  it('does not change the state it was given', async () => {
    const start = initialTrainingState(matrix, hyper);
    const before = Buffer.from(bytesOf(start.itemFactors));
    await trainEpoch(start, matrix);
    expect(bytesOf(start.itemFactors).equals(before)).toBe(true);
    expect(start.epoch).toBe(0);
  });
});

describe('ALS kernels', () => {
  it('the SIMD float32 kernel agrees with the float64 JavaScript reference', async () => {
    const start = initialTrainingState(matrix, { algorithm: 'als', factors: 24, seed: 3 });
    const reference: TaskRunner = {
      parallelism: 1,
      run: async (task) => runModelTask(task.kind === 'cg' ? { ...task, kernel: 'reference' } : task),
    };
    const simd = await train(start, 2);
    const plain = await train(start, 2, reference);
    let worst = 0;
    for (let n = 0; n < simd.itemFactors.length; n++)
      worst = Math.max(worst, Math.abs(simd.itemFactors[n]! - plain.itemFactors[n]!));
    expect(worst).toBeLessThan(1e-3);
    expect(simd.losses[1]!).toBeCloseTo(plain.losses[1]!, 5);
  });
});

describe('training-state bytes', () => {
  it('refuses a checkpoint whose bytes were altered or cut', async () => {
    const bytes = await serializeTrainingState(initialTrainingState(matrix, { factors: 8 }));
    const altered = Buffer.from(bytes);
    altered[altered.length - 100]! ^= 1;
    await expect(deserializeTrainingState(altered)).rejects.toThrow(CorruptCheckpointError);
    await expect(deserializeTrainingState(bytes.subarray(0, bytes.length - 4))).rejects.toThrow(
      /sha256 does not match/,
    );
    await expect(
      deserializeTrainingState(Buffer.from('hello world, not a checkpoint at all........')),
    ).rejects.toThrow(/not a training-state/);
  });

  it('refuses hyperparameters out of range, naming each field', () => {
    expect(() => initialTrainingState(matrix, { factors: 4, epochs: 0, alpha: -1 })).toThrow(
      /factors: must be a whole number from 8 to 256; epochs: .*alpha: must be a finite number above 0/,
    );
  });
});
