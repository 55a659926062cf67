import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import type { InteractionMatrix } from './interaction-matrix';
import type { ModelTask, ModelTaskResult, TaskRunner } from './model-tasks';
import type { ScoreBatchResult } from './batch-scoring';
import { trainEpoch } from './training';
import type { TrainingState } from './training-state';

/**
 * Worker threads (piscina) for the CPU-heavy model work, so an epoch or a batch of scoring never
 * blocks the event loop that renews locks and answers HTTP. Data travels as typed arrays over
 * SharedArrayBuffer (no copies); each task is a pure function of its input, so the pool gives
 * the same bytes as the in-process runner.
 *
 * The worker file is `model-worker.js` beside this module in the compiled app; under ts-jest or
 * tsx the module is TypeScript, and the workers load it through tsx's require hook.
 */
export interface ModelWorkerPoolOptions {
  /**
   * Worker threads; default: one fewer than the machine's cores (at least one), leaving a core to
   * the event loop. With as many busy workers as cores, the OS itself delays the loop: measured on
   * 2 busy cores, delay p99 40-70 ms with 2 workers against 12-23 ms with 1 (main-thread work per
   * epoch about 3 ms of CPU either way).
   */
  threads?: number;
}

export class ModelWorkerPool implements TaskRunner {
  readonly parallelism: number;
  private readonly piscina: Piscina;

  constructor(options: ModelWorkerPoolOptions = {}) {
    const threads = options.threads ?? Math.max(1, os.availableParallelism() - 1);
    if (!Number.isInteger(threads) || threads < 1)
      throw new RangeError('threads: must be a whole number of at least 1');
    this.parallelism = threads;
    const fromSource = __filename.endsWith('.ts');
    this.piscina = new Piscina({
      filename: path.join(__dirname, `model-worker${fromSource ? '.ts' : '.js'}`),
      minThreads: threads,
      maxThreads: threads,
      // Long epochs are normal; idle workers stay (their module memory is reused between tasks).
      idleTimeout: 60_000,
      execArgv: fromSource
        ? [...process.execArgv, '--require', require.resolve('tsx/cjs')]
        : process.execArgv,
    });
  }

  run(task: ModelTask): Promise<ModelTaskResult> {
    return this.piscina.run(task) as Promise<ModelTaskResult>;
  }

  trainEpoch(state: TrainingState, matrix: InteractionMatrix): Promise<TrainingState> {
    return trainEpoch(state, matrix, this);
  }

  /**
   * Exact top-`count` for each user index, the users spread over the workers; each user's own
   * stored places are excluded. Rows of `count` item indices, -1 where a user has fewer.
   */
  async scoreUsers(
    userFactors: Float32Array,
    itemFactors: Float32Array,
    k: number,
    matrix: InteractionMatrix,
    users: Int32Array,
    count: number,
  ): Promise<ScoreBatchResult> {
    const size = Math.max(1, Math.ceil(users.length / (this.parallelism * 4)));
    const parts = Math.ceil(users.length / size);
    const results = await Promise.all(
      Array.from(
        { length: parts },
        (_, n) =>
          this.run({
            kind: 'score',
            userFactors,
            itemFactors,
            items: matrix.byUser.cols,
            k,
            users: users.slice(n * size, (n + 1) * size),
            count,
            excludeIndptr: matrix.byUser.indptr,
            excludeIndices: matrix.byUser.indices,
          }) as Promise<ScoreBatchResult>,
      ),
    );
    const items = new Int32Array(users.length * count);
    const scores = new Float32Array(users.length * count);
    results.forEach((part, n) => {
      items.set(part.items, n * size * count);
      scores.set(part.scores, n * size * count);
    });
    return { items, scores };
  }

  close(): Promise<void> {
    return this.piscina.destroy();
  }
}
