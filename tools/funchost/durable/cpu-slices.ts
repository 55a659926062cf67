/**
 * Runs CPU-only work (orchestrator replays) one piece at a time, and gives the event loop back once a
 * macrotask turn has used `sliceMs`: without it, a burst of ready episodes runs as one long chain of
 * promise continuations (each episode awaits only in-memory work), and HTTP requests, Service Bus
 * frames and Redis replies wait behind the whole burst (bench:e2e: submits took seconds to be
 * answered). Throughput is unchanged: the replays shared one thread before, too.
 */
export class CpuSlices {
  #tail: Promise<unknown> = Promise.resolve();
  /** When the current macrotask turn started using the CPU for this work (undefined: not yet). */
  #turnStart: number | undefined;

  constructor(private readonly sliceMs = 4) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(async () => {
      if (performance.now() - this.#markTurn() >= this.sliceMs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        this.#markTurn();
      }
      return work();
    });
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Starts work in its turn and holds the queue until the work finishes or waits for I/O (the event
   * loop reached its next turn), for work that is CPU first and I/O later (activities): its CPU part
   * counts in the slice, its I/O waits hold nothing.
   */
  start<T>(work: () => Promise<T>): Promise<T> {
    let started: Promise<T> | undefined;
    const held = this.run(async () => {
      started = work();
      const settled = started.then(
        () => undefined,
        () => undefined,
      );
      await Promise.race([settled, new Promise<void>((resolve) => setImmediate(resolve))]);
    });
    return held.then(() => started!);
  }

  /** The current turn's start, noted at the first piece of work in it (a new turn clears it). */
  #markTurn(): number {
    if (this.#turnStart === undefined) {
      this.#turnStart = performance.now();
      setImmediate(() => (this.#turnStart = undefined));
    }
    return this.#turnStart;
  }
}
