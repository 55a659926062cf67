import { WriteBatcher } from '../../write-batcher';

/**
 * The broker's durable record: every change to a message, a scheduled message, a sequence counter or
 * the duplicate-detection history is noted here as a key and its new value (JSON text) or a deletion,
 * and written to a RecordStore in batches. Whoever acknowledges something to a client (an AMQP send
 * or settlement, a gRPC settlement) awaits `persisted()` first, so what a client was told happened
 * survives a killed host. Values are serialised when noted: a batch always holds states the broker
 * really was in.
 */
export interface RecordStore {
  /** Every record (key -> JSON text). */
  loadAll(): Promise<Map<string, string>>;
  write(changes: Map<string, string | null>): Promise<void>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

export class Journal {
  #pending = new Map<string, string | null>();
  readonly #batcher: WriteBatcher<Map<string, string | null>>;
  /** While records are being loaded back into the broker, nothing is noted. */
  muted = false;

  constructor(
    private readonly store: RecordStore,
    log: (message: string) => void = (m) => console.error(m),
  ) {
    this.#batcher = new WriteBatcher(
      () => {
        if (this.#pending.size === 0) return undefined;
        const batch = this.#pending;
        this.#pending = new Map();
        return batch;
      },
      (batch) => this.store.write(batch),
      (message) => log(`Service Bus state could not be persisted: ${message}`),
    );
  }

  put(key: string, value: unknown): void {
    if (this.muted) return;
    this.#pending.set(key, JSON.stringify(value));
    this.#batcher.noted();
  }

  delete(key: string): void {
    if (this.muted) return;
    this.#pending.set(key, null);
    this.#batcher.noted();
  }

  /** Resolves once every change noted so far is written; rejects if that write failed. */
  persisted(): Promise<void> {
    return this.#batcher.written();
  }

  loadAll(): Promise<Map<string, string>> {
    return this.store.loadAll();
  }

  async clear(): Promise<void> {
    this.#pending.clear();
    await this.persisted().catch(() => undefined);
    await this.store.clear();
  }

  async close(): Promise<void> {
    await this.persisted().catch(() => undefined);
    await this.store.close();
  }
}
