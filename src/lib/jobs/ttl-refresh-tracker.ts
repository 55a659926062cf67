/**
 * Decides when a checkpoint should refresh its job's TTLs, so the script does not have to read and
 * write a refresh time on every call (a field read is a tenth of a checkpoint's cost).
 *
 * A process asks for a refresh on its first checkpoint of a job and then once `slackMs` has passed;
 * the script adds every status change. Each process keeps its own record, so with several processes
 * writing one job the refreshes only come more often: whichever process writes, the keys have at
 * least TTL − slack left. Memory stays bounded: records live in two generations of at most
 * `slackMs` each, and a job not seen for that long simply gets refreshed on its next checkpoint.
 */
export class TtlRefreshTracker {
  #current = new Map<string, number>();
  #previous = new Map<string, number>();
  #generationStartedMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly slackMs: number) {}

  /** True when a checkpoint of `jobId` at `nowMs` should refresh the TTLs. */
  isDue(jobId: string, nowMs: number): boolean {
    const last = this.#current.get(jobId) ?? this.#previous.get(jobId);
    return last === undefined || nowMs - last >= this.slackMs || nowMs < last;
  }

  /** Records a refresh the script has done (only an applied checkpoint refreshes). */
  refreshed(jobId: string, nowMs: number): void {
    if (nowMs - this.#generationStartedMs >= this.slackMs) {
      this.#previous = this.#current;
      this.#current = new Map();
      this.#generationStartedMs = nowMs;
    }
    this.#current.set(jobId, nowMs);
  }
}
