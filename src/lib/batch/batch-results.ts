import type { BlobServiceClient, BlockBlobClient } from '@azure/storage-blob';
import { assertJobId } from '../redis/key-parts';

/**
 * Per-item results of a batch job: one JSON-lines block blob per job, written chunk by chunk.
 *
 * Each chunk's lines are staged as one block whose id is the chunk number, and the blob is committed
 * once at the end with the blocks in chunk order. Staging a block again under the same id replaces
 * it, so a retried chunk activity, or a redelivered job, writes its chunk once; nothing is visible
 * until the commit, and the committed blob holds every chunk exactly once, in order.
 * (Uncommitted blocks are kept by Azure for a week: longer than any job may run.)
 */
export const BATCH_RESULTS_CONTAINER = 'ai-batch-results';
/** The failed items a job's status shows; the blob holds them all. */
export const MAX_LISTED_FAILURES = 100;

export type ItemResult =
  | { index: number; itemId: string; ok: true; result?: unknown }
  | { index: number; itemId: string; ok: false; reason: string };

export interface BatchFailure {
  index: number;
  itemId: string;
  reason: string;
}

export interface ChunkSummary {
  total: number;
  succeeded: number;
  failed: number;
  /** The chunk's first failures by index (at most MAX_LISTED_FAILURES). */
  failures: BatchFailure[];
}

export interface BatchSummary extends ChunkSummary {
  resultUri: string;
}

export function resultBlobName(jobId: string): string {
  return `batch-results/${assertJobId(jobId)}.jsonl`;
}

export class BatchResultWriter {
  readonly #blob: BlockBlobClient;
  #containerReady?: Promise<unknown>;

  constructor(
    private readonly blobService: BlobServiceClient,
    readonly jobId: string,
  ) {
    this.#blob = blobService
      .getContainerClient(BATCH_RESULTS_CONTAINER)
      .getBlockBlobClient(resultBlobName(jobId));
  }

  get resultUri(): string {
    return this.#blob.url;
  }

  /** Stages one chunk's results (idempotent per chunk number); returns the chunk's summary. */
  async writeChunk(chunkIndex: number, results: ItemResult[]): Promise<ChunkSummary> {
    if (results.length === 0) throw new RangeError(`chunk ${chunkIndex} has no results`);
    await this.#ensureContainer();
    const body = results.map((r) => `${JSON.stringify(r)}\n`).join('');
    await this.#blob.stageBlock(blockId(chunkIndex), body, Buffer.byteLength(body));
    return summariseChunk(results);
  }

  /** Commits chunks 0..chunkCount-1 in order; refuses, naming them, if any was never written. */
  async commit(chunkCount: number): Promise<string> {
    const ids = Array.from({ length: chunkCount }, (_, i) => blockId(i));
    const list = await this.#blob.getBlockList('all').catch((error: { statusCode?: number }) => {
      if (error.statusCode === 404) return { committedBlocks: [], uncommittedBlocks: [] };
      throw error;
    });
    const present = new Set(
      [...(list.committedBlocks ?? []), ...(list.uncommittedBlocks ?? [])].map((b) => b.name),
    );
    const missing = ids.flatMap((id, i) => (present.has(id) ? [] : [i]));
    if (missing.length > 0)
      throw new Error(
        `batch ${this.jobId}: chunk(s) ${missing.slice(0, 20).join(', ')} have no results written`,
      );
    await this.#blob.commitBlockList(ids, { blobHTTPHeaders: { blobContentType: 'application/x-ndjson' } });
    return this.resultUri;
  }

  #ensureContainer(): Promise<unknown> {
    this.#containerReady ??= this.blobService
      .getContainerClient(BATCH_RESULTS_CONTAINER)
      .createIfNotExists()
      .catch((error: unknown) => {
        this.#containerReady = undefined;
        throw error;
      });
    return this.#containerReady;
  }
}

/** Block ids must be base64 of one length within a blob: the chunk number in 8 digits. */
function blockId(chunkIndex: number): string {
  return Buffer.from(`chunk-${String(chunkIndex).padStart(8, '0')}`).toString('base64');
}

export function summariseChunk(results: ItemResult[]): ChunkSummary {
  const failures = results
    .filter((r): r is Extract<ItemResult, { ok: false }> => !r.ok)
    .map(({ index, itemId, reason }) => ({ index, itemId, reason }))
    .sort((a, b) => a.index - b.index);
  return {
    total: results.length,
    succeeded: results.length - failures.length,
    failed: failures.length,
    failures: failures.slice(0, MAX_LISTED_FAILURES),
  };
}

/**
 * The job's result from its chunks' summaries (small enough for an orchestration's history, unlike
 * the items): totals, the result blob, and the first failures by item index.
 */
export function summariseBatch(chunks: ChunkSummary[], resultUri: string): BatchSummary {
  return {
    total: chunks.reduce((s, c) => s + c.total, 0),
    succeeded: chunks.reduce((s, c) => s + c.succeeded, 0),
    failed: chunks.reduce((s, c) => s + c.failed, 0),
    resultUri,
    failures: chunks
      .flatMap((c) => c.failures)
      .sort((a, b) => a.index - b.index)
      .slice(0, MAX_LISTED_FAILURES),
  };
}
