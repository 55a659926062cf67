import type { CacheCounters } from '../cache/cache-stats';
import { BUSINESS_TARGETS, REDIS_ALERT_THRESHOLDS } from '../health/alert-thresholds';
import type { RedisHealth } from '../health/redis-health';
import type { QueueCounts } from '../messaging/queue-stats';
import type { BoardFailure, BoardJob, JobBoard } from './job-board';
import type { ModelPanel } from './model-panels';
import { servingSeries, type ServingPoint } from './serving-series';

export interface OpsSources {
  board: JobBoard;
  queues(): Promise<QueueCounts[]>;
  redis(): Promise<RedisHealth>;
  caches(): Record<string, CacheCounters>;
  models(): Promise<ModelPanel[]>;
}

/** A panel's value, or why it could not be read (one outage does not blank the page). */
export type Panel<T> = { ok: true; value: T } | { ok: false; error: string };

export interface OpsState {
  at: string;
  jobs: BoardJob[];
  counts: Record<string, Record<string, number>>;
  failures: BoardFailure[];
  queues: Panel<QueueCounts[]>;
  redis: Panel<RedisHealth & { thresholds: typeof REDIS_ALERT_THRESHOLDS }>;
  caches: { counters: Record<string, CacheCounters>; targetHitRatio: number };
  models: Panel<ModelPanel[]>;
  serving: Array<ServingPoint & { share: number; clickThrough: number }>;
}

/** Everything GET /api/ops/state answers; each external read is settled on its own. */
export async function opsState(sources: OpsSources, now: Date = new Date()): Promise<OpsState> {
  const [queues, redis, models] = await Promise.all([
    panel(sources.queues()),
    panel(sources.redis().then((health) => ({ ...health, thresholds: REDIS_ALERT_THRESHOLDS }))),
    panel(sources.models()),
  ]);
  return {
    at: now.toISOString(),
    jobs: sources.board.jobs(),
    counts: sources.board.counts(),
    failures: sources.board.failures(),
    queues,
    redis,
    caches: { counters: sources.caches(), targetHitRatio: BUSINESS_TARGETS.recommendationHitRatio },
    models,
    serving: servingSeries(),
  };
}

async function panel<T>(read: Promise<T>): Promise<Panel<T>> {
  try {
    return { ok: true, value: await read };
  } catch (error) {
    // The error's name and first line only: connection strings and bodies never reach the page.
    const text = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : 'unavailable';
    return { ok: false, error: text.slice(0, 200) };
  }
}
