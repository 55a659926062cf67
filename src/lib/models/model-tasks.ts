import { partialGramsSimd, solveRowsSimd } from './als-cg-simd';
import { solveRowsCg, sumGrams, totalConfidence, type CgRowsJob } from './als-kernels';
import { bprEpoch, type BprEpochJob, type BprEpochResult } from './bpr-kernel';
import { scoreBatch, type ScoreBatchJob, type ScoreBatchResult } from './batch-scoring';
import type { BlobAccess } from '../config/blob-access';
import { prepareTrainingDatasetTask, type PrepareDatasetJob } from './dataset-preparation';
import { loadPreparedRunTask, type PreparedRunParts } from './prepared-run';

/**
 * The units of CPU work, as plain data (typed arrays over shared memory), so one switch runs them
 * in this thread or in a worker and the results cannot differ.
 */
export type ModelTask =
  | {
      kind: 'gram';
      factors: Float32Array;
      rows: number;
      k: number;
      chunkStart: number;
      chunkEnd: number;
      out: Float64Array;
    }
  | {
      kind: 'sumGram';
      partials: Float64Array;
      chunks: number;
      k: number;
      regularization: number;
      out: Float64Array;
    }
  | { kind: 'copy'; from: Float32Array; to: Float32Array }
  | { kind: 'confidence'; values: Float32Array; alpha: number; out: Float64Array }
  | ({ kind: 'cg'; kernel?: CgKernel } & CgRowsJob)
  | ({ kind: 'bpr' } & BprEpochJob)
  | ({ kind: 'score' } & ScoreBatchJob)
  | ({ kind: 'prepareDataset' } & PrepareDatasetJob)
  | { kind: 'loadPreparedRun'; blob: BlobAccess; modelName: string; jobId: string };

/** `simd` (the default, WebAssembly float32) or `reference` (plain JavaScript, float64). */
export type CgKernel = 'simd' | 'reference';

export type ModelTaskResult =
  | void
  | BprEpochResult
  | ScoreBatchResult
  | Awaited<ReturnType<typeof prepareTrainingDatasetTask>>
  | PreparedRunParts;

export function runModelTask(task: ModelTask): ModelTaskResult | Promise<ModelTaskResult> {
  switch (task.kind) {
    case 'gram':
      return partialGramsSimd(task.factors, task.rows, task.k, task.chunkStart, task.chunkEnd, task.out);
    case 'sumGram':
      return sumGrams(task.partials, task.chunks, task.k, task.regularization, task.out);
    case 'copy':
      return void task.to.set(task.from);
    case 'confidence':
      return totalConfidence(task.values, task.alpha, task.out);
    case 'cg':
      return task.kernel === 'reference' ? solveRowsCg(task) : solveRowsSimd(task);
    case 'bpr':
      return bprEpoch(task);
    case 'score':
      return scoreBatch(task);
    case 'prepareDataset':
      return prepareTrainingDatasetTask(task);
    case 'loadPreparedRun':
      return loadPreparedRunTask(task);
    default:
      throw new Error(`unknown model task ${(task as { kind: string }).kind}`);
  }
}

/** Runs tasks; the in-process runner is the reference the worker pool must match. */
export interface TaskRunner {
  /** How many tasks are worth running at once (1 in process, the pool size in the pool). */
  readonly parallelism: number;
  run(task: ModelTask): Promise<ModelTaskResult>;
}

export const inProcessRunner: TaskRunner = {
  parallelism: 1,
  run: async (task) => runModelTask(task),
};
