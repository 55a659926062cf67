import type { Instance } from './instance';

/**
 * Where the Durable backend keeps instance state between runs of the host (Redis or a directory).
 * The backend writes whole-instance snapshots: history, inbox and bookkeeping, so a restarted host
 * sees exactly what the stopped one had last written.
 */
export interface InstanceStore {
  /** Every stored instance (the backend decides what to resume). */
  loadAll(): Promise<Instance[]>;
  /** Applies one batch of changes; a snapshot replaces the instance's previous one. */
  write(changes: { save: Instance[]; remove: string[] }): Promise<void>;
  /** Forgets every instance (the host's reset()). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Write-behind to a store: changes mark an instance dirty, one flush at a time writes the latest
 * snapshot of each dirty instance. Coalescing keeps a busy orchestration to one write per flush, and
 * a snapshot is taken synchronously, so it is always a state the backend really was in.
 */
export class WriteBehind {
  readonly #dirty = new Set<string>();
  readonly #removed = new Set<string>();
  #flushing: Promise<void> | undefined;
  #scheduled = false;
  #failure: unknown;

  constructor(
    private readonly store: InstanceStore,
    private readonly lookup: (instanceId: string) => Instance | undefined,
    private readonly log: (message: string) => void,
  ) {}

  changed(instanceId: string): void {
    this.#removed.delete(instanceId);
    this.#dirty.add(instanceId);
    this.#schedule();
  }

  removed(instanceId: string): void {
    this.#dirty.delete(instanceId);
    this.#removed.add(instanceId);
    this.#schedule();
  }

  /** Resolves once every change made so far is written (rejects if a write failed). */
  async flush(): Promise<void> {
    while (this.#flushing || this.#dirty.size > 0 || this.#removed.size > 0) {
      await (this.#flushing ?? this.#writeOnce());
    }
    if (this.#failure !== undefined) {
      const failure = this.#failure;
      this.#failure = undefined;
      throw failure;
    }
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (!this.#flushing) void this.#writeOnce();
    });
  }

  #writeOnce(): Promise<void> {
    const save = [...this.#dirty]
      .map((id) => this.lookup(id))
      .filter((i): i is Instance => i !== undefined)
      .map((i) => structuredClone(i));
    const remove = [...this.#removed];
    this.#dirty.clear();
    this.#removed.clear();
    this.#flushing = this.store
      .write({ save, remove })
      .catch((error: unknown) => {
        this.#failure = error;
        this.log(
          `Durable state could not be persisted: ${error instanceof Error ? error.message : String(error)}`,
        );
      })
      .finally(() => {
        this.#flushing = undefined;
        if (this.#dirty.size > 0 || this.#removed.size > 0) this.#schedule();
      });
    return this.#flushing;
  }
}
