import type { PreparedRun } from '../../lib/models/prepared-run';

/**
 * The prepared data of a training job (frozen dataset and holdout split), kept in process between
 * that job's activities: every epoch would otherwise download and split it again. At most
 * `capacity` jobs are kept; another process, or this one after a restart, loads the same frozen
 * snapshot and gets the same arrays, so where an activity runs never changes the model.
 */
export class PreparedRuns {
  readonly #runs = new Map<string, Promise<PreparedRun>>();

  constructor(
    private readonly load: (modelName: string, jobId: string) => Promise<PreparedRun>,
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
    run = this.load(modelName, jobId);
    this.#runs.set(key, run);
    run.catch(() => this.#runs.delete(key));
    while (this.#runs.size > this.capacity) this.#runs.delete(this.#runs.keys().next().value!);
    return run;
  }
}
