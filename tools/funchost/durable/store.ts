import { WriteBatcher } from '../write-batcher';
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
 * Writes instance snapshots to a store in batches: changes mark an instance dirty, and each write
 * takes the latest snapshot of every dirty instance (a busy orchestration costs one write per batch).
 * A snapshot is taken synchronously, so it is always a state the backend really was in. The backend
 * awaits `flush()` before it acknowledges anything (an HTTP action, work it dispatches).
 */
export class WriteBehind {
  readonly #dirty = new Set<string>();
  readonly #removed = new Set<string>();
  readonly #batcher: WriteBatcher<{ save: Instance[]; remove: string[] }>;

  constructor(
    store: InstanceStore,
    lookup: (instanceId: string) => Instance | undefined,
    log: (message: string) => void,
  ) {
    this.#batcher = new WriteBatcher(
      () => {
        if (this.#dirty.size === 0 && this.#removed.size === 0) return undefined;
        const save = [...this.#dirty]
          .map((id) => lookup(id))
          .filter((i): i is Instance => i !== undefined)
          .map((i) => structuredClone(i));
        const remove = [...this.#removed];
        this.#dirty.clear();
        this.#removed.clear();
        return { save, remove };
      },
      (batch) => store.write(batch),
      (message) => log(`Durable state could not be persisted: ${message}`),
    );
  }

  changed(instanceId: string): void {
    this.#removed.delete(instanceId);
    this.#dirty.add(instanceId);
    this.#batcher.noted();
  }

  removed(instanceId: string): void {
    this.#dirty.delete(instanceId);
    this.#removed.add(instanceId);
    this.#batcher.noted();
  }

  /** Resolves once every change made so far is written (rejects if that write failed). */
  flush(): Promise<void> {
    return this.#batcher.written();
  }
}
