import { chunkItems, type BatchItem, type BatchOperation } from '../../lib/batch/batch-items';
import { BatchResultWriter, type ChunkSummary, type ItemResult } from '../../lib/batch/batch-results';
import { readBatchItemsFromBlob } from '../../lib/batch/items-blob';
import type { EventPublisher } from '../../lib/messaging/event-publisher';
import { runActivity } from '../shared/activity-outcome';
import type { ActivityHandler } from '../kit/workflow-definition';
import { BatchChunkStore } from './chunk-store';
import { runChunkItems, type ItemRunnerDeps } from './item-runners';
import { BatchNames as Names } from './names';

export interface BatchActivityDeps extends ItemRunnerDeps {
  eventPublisher(): EventPublisher;
}

/** What staging hands the orchestrator: counts only, never the items. */
export interface StagedBatch {
  total: number;
  chunkCount: number;
  /** Items that failed before running (bad blob lines), written as the chunk after the last. */
  rejected: ChunkSummary | null;
}

/**
 * The batch activities. Each is safe to retry: staging and a chunk's results overwrite the same
 * blobs (block ids are chunk numbers), the commit lists the same blocks, the announcement's message
 * id is derived from the job.
 */
export function createBatchActivities(deps: BatchActivityDeps): Record<string, ActivityHandler> {
  const chunks = () => new BatchChunkStore(deps.blobService());
  return {
    [Names.activities.stage]: (input: {
      jobId: string;
      operation: BatchOperation;
      items?: BatchItem[];
      itemsUri?: string;
      batchSize: number;
    }) =>
      runActivity(async (): Promise<StagedBatch> => {
        const valid: BatchItem[] = [];
        const rejected: ItemResult[] = [];
        if (input.items) valid.push(...input.items);
        else {
          for await (const outcome of readBatchItemsFromBlob(
            deps.blobService(),
            input.itemsUri!,
            input.operation,
            input.jobId,
          )) {
            if (outcome.ok) valid.push(outcome.item);
            else
              rejected.push({
                index: outcome.index,
                itemId: `line ${outcome.line}`,
                ok: false,
                reason: outcome.reason,
              });
          }
        }
        const parts = chunkItems(valid, input.batchSize);
        const store = chunks();
        for (const [i, part] of parts.entries()) await store.write(input.jobId, i, part);
        const writer = new BatchResultWriter(deps.blobService(), input.jobId);
        const rejectedSummary = rejected.length > 0 ? await writer.writeChunk(parts.length, rejected) : null;
        return { total: valid.length + rejected.length, chunkCount: parts.length, rejected: rejectedSummary };
      }),
    [Names.activities.runChunk]: (input: {
      jobId: string;
      chunkIndex: number;
      operation: BatchOperation;
      now: string;
      /** Set when the chunk could not run at all: every item is recorded failed with this reason. */
      failAll?: string;
    }) =>
      runActivity(async (): Promise<ChunkSummary> => {
        const items = await chunks().read(input.jobId, input.chunkIndex);
        const results = input.failAll
          ? items.map((item): ItemResult => ({
              index: item.index,
              itemId: item.itemId,
              ok: false,
              reason: input.failAll!,
            }))
          : await runChunkItems(input.operation, items, new Date(input.now), deps, input.jobId);
        return new BatchResultWriter(deps.blobService(), input.jobId).writeChunk(input.chunkIndex, results);
      }),
    [Names.activities.commitResults]: (input: { jobId: string; chunkCount: number }) =>
      runActivity(async () =>
        new BatchResultWriter(deps.blobService(), input.jobId).commit(input.chunkCount),
      ),
    [Names.activities.announce]: (input: { jobId: string; body: unknown }) =>
      runActivity(async () => deps.eventPublisher().publish('BatchCompleted', input.jobId, input.body)),
  };
}
