import { holdoutByTime, type Holdout } from '../../lib/models/holdout';
import type { TrainingDataStore, TrainingData } from '../../lib/models/training-dataset';

/** The evaluation split every training job uses: each user's last 2 liked places, by time. */
export const HOLDOUT = { perUser: 2, minTrain: 2 } as const;

export interface PreparedRun {
  data: TrainingData;
  holdout: Holdout;
}

/**
 * The frozen dataset of a training job and its holdout split, kept in process between that job's
 * activities (every epoch would otherwise download and split it again). At most `capacity` jobs are
 * kept; another process, or this one after a restart, reads the snapshot from Blob and gets the
 * same bytes, so where an activity runs never changes the model.
 */
export class PreparedRuns {
  readonly #runs = new Map<string, Promise<PreparedRun>>();

  constructor(
    private readonly store: () => TrainingDataStore,
    private readonly capacity = 2,
  ) {}

  get(modelName: string, jobId: string): Promise<PreparedRun> {
    const key = `${modelName}/${jobId}`;
    let run = this.#runs.get(key);
    if (run) {
      this.#runs.delete(key); // re-insert: most recently used last
      this.#runs.set(key, run);
      return run;
    }
    run = this.#load(modelName, jobId);
    this.#runs.set(key, run);
    run.catch(() => this.#runs.delete(key));
    while (this.#runs.size > this.capacity) this.#runs.delete(this.#runs.keys().next().value!);
    return run;
  }

  async #load(modelName: string, jobId: string): Promise<PreparedRun> {
    const data = await this.store().load(modelName, jobId);
    if (!data) throw new Error(`training job ${jobId} has no frozen dataset (its first step did not run?)`);
    return { data, holdout: holdoutByTime(data.log, HOLDOUT) };
  }
}
