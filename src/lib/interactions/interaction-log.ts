import type { AppendBlobClient, BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { parseInteractionCall, type Interaction } from '../contracts/interaction';
import { ValidationError } from '../errors/app-errors';
import {
  APPEND_BLOB_LIMITS,
  type AppendBlobLimits,
  CALL_ID_PATTERN,
  INTERACTIONS_CONTAINER,
  WRITER_ID_PATTERN,
  logBlobName,
  sequenceOf,
  utcDay,
  writerPrefix,
} from './log-layout';
import { encodeLine, packBlocks } from './log-lines';

export { readInteractions, type ReadInteractionsOptions, type MalformedLine } from './read-interactions';

/**
 * Appends interactions to Blob Storage as JSON lines, one append blob per UTC day (of `at`) and
 * writer (see log-layout.ts). Nothing lives only in Redis: the cache evicts.
 *
 * All or nothing, as far as Blob allows:
 * - Every row is validated before anything is written; one bad row stores nothing.
 * - A call's rows of one day go in as one append block when they fit in one (4 MiB: a full call of
 *   10,000 typical rows does), and a block is atomic, so such a call is stored whole or not at all.
 * - A call spanning several days, or more than 4 MiB of one day, takes several blocks. If one fails
 *   midway the earlier blocks stay (Blob cannot take them back) and append throws
 *   InteractionAppendError. The caller retries the call with the SAME callId: every line carries
 *   (callId, row index), and the reader keeps the first copy of each pair, so the retry completes the
 *   call and the rows written twice are read once. The SDK's own retry of a block whose answer was
 *   lost is made safe the same way.
 */
export interface InteractionLogOptions {
  /** This process's name in blob names (an instance id + pid); two live processes must differ. */
  writerId: string;
  /** Tests shrink these to see blocks split and blobs roll; production uses Azure's limits. */
  limits?: Partial<AppendBlobLimits>;
}

export interface AppendResult {
  callId: string;
  stored: number;
  /** The blobs this call wrote to. */
  blobs: string[];
}

export class InteractionAppendError extends Error {
  constructor(
    readonly callId: string,
    readonly blocksWritten: number,
    override readonly cause: unknown,
  ) {
    super(
      `appending call ${callId} failed after ${blocksWritten} block(s) were written: retry with the same callId ` +
        `(readers de-duplicate by callId and row): ${(cause as Error)?.message ?? String(cause)}`,
    );
    this.name = 'InteractionAppendError';
  }
}

interface DayBlob {
  sequence: number;
  blockCount: number;
}

export class InteractionLogWriter {
  readonly #container: ContainerClient;
  readonly #limits: AppendBlobLimits;
  /** Per day, this writer's current blob; appends of one day run one after another (a promise chain). */
  readonly #days = new Map<string, Promise<DayBlob>>();
  readonly #tails = new Map<string, Promise<unknown>>();
  #containerReady?: Promise<unknown>;

  constructor(
    blobService: BlobServiceClient,
    readonly options: InteractionLogOptions,
  ) {
    if (!WRITER_ID_PATTERN.test(options.writerId))
      throw new Error(`writerId "${options.writerId}" must be 1-128 of A-Za-z0-9_.:-`);
    this.#container = blobService.getContainerClient(INTERACTIONS_CONTAINER);
    this.#limits = { ...APPEND_BLOB_LIMITS, ...options.limits };
  }

  /** Validates every row, then appends them all (see the module comment for what "all" means). */
  async append(callId: string, interactions: Interaction[]): Promise<AppendResult> {
    if (!CALL_ID_PATTERN.test(callId))
      throw new ValidationError([{ path: 'callId', message: 'must be 1-128 of A-Za-z0-9_.:-' }]);
    const parsed = parseInteractionCall({ interactions });
    if (!parsed.ok) throw new ValidationError(parsed.issues);

    const linesByDay = new Map<string, string[]>();
    parsed.value.interactions.forEach((row, index) => {
      const day = utcDay(row.at);
      const lines = linesByDay.get(day) ?? [];
      lines.push(encodeLine(callId, index, row));
      linesByDay.set(day, lines);
    });
    await this.#ensureContainer();
    const blobs = new Set<string>();
    let written = 0;
    try {
      for (const [day, lines] of [...linesByDay].sort(([a], [b]) => a.localeCompare(b))) {
        for (const block of packBlocks(lines, this.#limits.maxBlockBytes)) {
          blobs.add(await this.#serially(day, () => this.#appendBlock(day, block)));
          written += 1;
        }
      }
    } catch (error) {
      throw new InteractionAppendError(callId, written, error);
    }
    return { callId, stored: interactions.length, blobs: [...blobs] };
  }

  #serially<T>(day: string, work: () => Promise<T>): Promise<T> {
    const run = (this.#tails.get(day) ?? Promise.resolve()).then(work, work);
    this.#tails.set(
      day,
      run.catch(() => undefined),
    );
    return run;
  }

  async #appendBlock(day: string, block: Buffer): Promise<string> {
    const state = await this.#dayBlob(day);
    try {
      if (state.blockCount >= this.#limits.maxBlocksPerBlob) await this.#roll(day, state);
      try {
        await this.#blob(day, state.sequence).appendBlock(block, block.length);
      } catch (error) {
        // Our count can lag the blob's (another process reused this writer id): roll, try once more.
        if ((error as { code?: string }).code !== 'BlockCountExceedsLimit') throw error;
        await this.#roll(day, state);
        await this.#blob(day, state.sequence).appendBlock(block, block.length);
      }
    } catch (error) {
      // Whatever went wrong (the blob deleted, replaced, unreachable), the next append looks afresh.
      this.#days.delete(day);
      throw error;
    }
    state.blockCount += 1;
    return logBlobName(day, this.options.writerId, state.sequence);
  }

  #dayBlob(day: string): Promise<DayBlob> {
    let state = this.#days.get(day);
    if (!state) {
      state = this.#openLatest(day);
      this.#days.set(day, state);
      state.catch(() => this.#days.delete(day));
    }
    return state;
  }

  /** A restarted writer with the same id carries on in its latest blob of the day. */
  async #openLatest(day: string): Promise<DayBlob> {
    let sequence = 0;
    for await (const blob of this.#container.listBlobsFlat({
      prefix: writerPrefix(day, this.options.writerId),
    })) {
      sequence = Math.max(sequence, sequenceOf(blob.name) ?? 0);
    }
    return { sequence, blockCount: await this.#open(day, sequence) };
  }

  async #roll(day: string, state: DayBlob): Promise<void> {
    state.sequence += 1;
    state.blockCount = await this.#open(day, state.sequence);
  }

  /** Creates the blob if needed and returns how many blocks it already holds. */
  async #open(day: string, sequence: number): Promise<number> {
    const blob = this.#blob(day, sequence);
    await blob.createIfNotExists({ blobHTTPHeaders: { blobContentType: 'application/x-ndjson' } });
    return (await blob.getProperties()).blobCommittedBlockCount ?? 0;
  }

  #blob(day: string, sequence: number): AppendBlobClient {
    return this.#container.getAppendBlobClient(logBlobName(day, this.options.writerId, sequence));
  }

  #ensureContainer(): Promise<unknown> {
    this.#containerReady ??= this.#container.createIfNotExists().catch((error: unknown) => {
      this.#containerReady = undefined;
      throw error;
    });
    return this.#containerReady;
  }
}
