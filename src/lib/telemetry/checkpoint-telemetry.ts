import { performance } from 'node:perf_hooks';
import type { JobStateStore } from '../jobs/job-state-store';
import type { CheckpointResult, CheckpointUpdate } from '../jobs/job-types';
import { JobAttributeNames } from './job-attributes';
import { jobMetrics } from './metrics';
import { SpanKind, withSpan } from './tracing';

/**
 * A job's checkpoint as telemetry sees it: a Redis client span, its latency, and, on the checkpoint
 * that ends the job (applied, not a replay), the job's completed/failed count and its duration from
 * the record's createdAt. Only the failure's code (the text before the first colon) is a label.
 */
export function observedCheckpoint(
  store: Pick<JobStateStore, 'checkpoint' | 'getStatus'>,
  jobId: string,
  update: CheckpointUpdate,
): Promise<CheckpointResult> {
  return withSpan(
    'redis checkpoint',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system': 'redis',
        'db.operation.name': 'checkpoint',
        [JobAttributeNames.jobId]: jobId,
        ...(update.status ? { 'tripgen.job.status': update.status } : {}),
        ...(update.step ? { 'tripgen.job.step': update.step } : {}),
      },
    },
    async (span) => {
      const started = performance.now();
      const result = await store.checkpoint(jobId, update);
      const record = endsJob(update, result) ? await store.getStatus(jobId) : null;
      jobMetrics.checkpointLatency(performance.now() - started, record?.jobType ?? 'any');
      span.setAttribute('tripgen.checkpoint.outcome', result.outcome);
      if (record && (update.status === 'completed' || update.status === 'failed')) {
        const createdMs = Date.parse(record.createdAt);
        const seconds = Number.isFinite(createdMs) ? (Date.now() - createdMs) / 1000 : undefined;
        jobMetrics.finished(record.jobType, update.status, seconds, failureCode(update.error));
      }
      return result;
    },
  );
}

function endsJob(update: CheckpointUpdate, result: CheckpointResult): boolean {
  return result.outcome === 'applied' && (update.status === 'completed' || update.status === 'failed');
}

/** `ActivityFailed: the planner…` → `ActivityFailed`; a code is a word, anything else is `unknown`. */
export function failureCode(error: string | undefined): string | undefined {
  const code = error?.split(':', 1)[0]?.trim();
  return code && /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(code) ? code : undefined;
}
