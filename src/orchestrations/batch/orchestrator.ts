import type * as df from 'durable-functions';
import type { BatchOperation, BatchRequest } from '../../lib/batch/batch-items';
import { summariseBatch, type ChunkSummary } from '../../lib/batch/batch-results';
import { type ActivityOutcome } from '../shared/activity-outcome';
import { transientRetry } from '../shared/retry-policy';
import { jobOrchestration } from '../kit/job-orchestration';
import { instanceIdOf } from '../kit/workflow-definition';
import { jobTraceSource, withJobTrace, type JobTraceSource } from '../kit/traced-activity';
import type { StagedBatch } from './activities';
import { BatchNames as Names } from './names';
import { batchWorkflow } from './workflow';

export type BatchJobRequest = BatchRequest & { userId: string };

/**
 * read and stage the items in chunks of BatchSize → run the chunks as sub-orchestrations, at most
 * ModelParallelism at once, progress rising as chunks finish → commit the per-item results blob →
 * BatchCompleted. Every item ends succeeded or failed with its reason: a chunk that cannot run at
 * all records each of its items as failed, it does not lose them.
 */
export const batchOrchestrator = jobOrchestration<BatchJobRequest>(
  () => batchWorkflow,
  function* (job) {
    const { request } = job.input;
    const { activities } = Names;
    yield* job.enter('reading_items');
    const staged = yield* job.run<StagedBatch>(activities.stage, {
      jobId: job.jobId,
      operation: request.operation,
      items: request.items,
      itemsUri: request.itemsUri,
      batchSize: job.input.batchSize,
    });
    yield* job.enter('processing_items');
    const now = job.context.df.currentUtcDateTime.toISOString();
    let done = staged.rejected?.total ?? 0;
    const summaries = yield* job.fanOut<ChunkSummary>(
      staged.chunkCount,
      (chunkIndex) =>
        job.context.df.callSubOrchestrator(
          Names.chunkOrchestrator,
          { jobId: job.jobId, chunkIndex, operation: request.operation, now, job: jobTraceSource(job.input) },
          `${instanceIdOf('batch', job.jobId)}:chunk:${chunkIndex}`,
        ),
      function* (completed) {
        const rejected = staged.rejected?.total ?? 0;
        done = rejected + Math.min(completed * job.input.batchSize, staged.total - rejected);
        const share = staged.total > 0 ? done / staged.total : 1;
        yield* job.enter('processing_items', Math.floor(10 + 85 * share), { done, total: staged.total });
      },
    );
    yield* job.enter('writing_results');
    yield* job.commit();
    const resultUri = yield* job.run<string>(activities.commitResults, {
      jobId: job.jobId,
      chunkCount: staged.chunkCount + (staged.rejected ? 1 : 0),
    });
    const summary = summariseBatch([...summaries, ...(staged.rejected ? [staged.rejected] : [])], resultUri);
    yield* job.enter('announcing_result');
    yield* job.run(activities.announce, {
      jobId: job.jobId,
      body: { jobId: job.jobId, userId: request.userId, operation: request.operation, ...summary },
    });
    return {
      result: summary,
      data: { total: summary.total, succeeded: summary.succeeded, failed: summary.failed },
    };
  },
);

/**
 * One chunk: its items run in one activity (retried on transient errors). If it still fails, each of
 * its items is recorded as failed with the reason, so the batch accounts for every item.
 */
export function* batchChunkOrchestrator(
  context: df.OrchestrationContext,
): Generator<df.Task, ActivityOutcome<ChunkSummary>, unknown> {
  const { job, ...input } = context.df.getInput<{
    jobId: string;
    chunkIndex: number;
    operation: BatchOperation;
    now: string;
    /** The batch job, so the chunk's activity spans join its trace (absent in histories from before). */
    job?: JobTraceSource;
  }>();
  const traced = (payload: unknown) => (job ? withJobTrace(job, payload) : payload);
  try {
    return (yield context.df.callActivityWithRetry(
      Names.activities.runChunk,
      transientRetry(),
      traced(input),
    )) as ActivityOutcome<ChunkSummary>;
  } catch (thrown) {
    const reason = `the chunk could not run: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
    return (yield context.df.callActivityWithRetry(
      Names.activities.runChunk,
      transientRetry(),
      traced({ ...input, failAll: reason.slice(0, 500) }),
    )) as ActivityOutcome<ChunkSummary>;
  }
}
