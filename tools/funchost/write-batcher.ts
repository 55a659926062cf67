/**
 * Batches writes to a store: callers note changes, one write runs at a time and takes everything
 * noted before it started. `written()` resolves once every change noted before the call is written,
 * without waiting for changes noted later (under steady load there always are some), and rejects
 * if the write that carried them failed.
 */
export class WriteBatcher<Batch> {
  #inFlight: Promise<void> | undefined;
  #next: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | undefined;
  #scheduled = false;

  constructor(
    /** Takes the pending changes (and forgets them), or undefined when there are none. */
    private readonly take: () => Batch | undefined,
    private readonly write: (batch: Batch) => Promise<void>,
    private readonly log: (message: string) => void,
  ) {}

  /** Call after noting a change: a write starts soon (changes of the same tick share it). */
  noted(): void {
    this.#nextBatch();
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#start();
    });
  }

  written(): Promise<void> {
    return this.#next?.promise ?? this.#inFlight ?? Promise.resolve();
  }

  #nextBatch() {
    if (this.#next) return this.#next;
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    // A failure nobody awaits is still logged below; do not let it crash the process.
    promise.catch(() => undefined);
    return (this.#next = { promise, resolve, reject });
  }

  #start(): void {
    if (this.#inFlight || !this.#next) return;
    const waiters = this.#next;
    this.#next = undefined;
    const batch = this.take();
    if (batch === undefined) return waiters.resolve();
    this.#inFlight = this.write(batch).then(
      () => waiters.resolve(),
      (error: unknown) => {
        this.log(error instanceof Error ? error.message : String(error));
        waiters.reject(error);
      },
    );
    void this.#inFlight.finally(() => {
      this.#inFlight = undefined;
      if (this.#next) this.#start();
    });
  }
}
