import path from 'node:path';
import type { TtlSettings } from '../config/ttl-defaults';
import { LuaScript } from '../redis/lua-script';
import type { RedisClient } from '../redis/client-factory';
import { Keys } from '../redis/keys';
import { CheckpointBatcher } from './checkpoint-batcher';
import { InflightJobs } from './inflight-jobs';
import { InvalidCheckpointError } from './job-errors';
import { checkpointProblems } from './checkpoint-validation';
import {
  type CheckpointResult,
  type CheckpointUpdate,
  type JobEventMessage,
  type JobStatus,
  type JobStatusRecord,
} from './job-types';

const COMMIT = LuaScript.fromFile(path.join(__dirname, 'commands', 'commit.lua'));

/** Enough history for a late watcher to replay a whole job; trimmed approximately by XADD. */
export const JOB_EVENTS_MAX_LENGTH = 1000;

export interface JobEvent {
  /** Stream entry id; also the SSE event id. */
  id: string;
  message: JobEventMessage;
}

/**
 * The job-state layer every workflow writes through. One operation at its heart, checkpoint(),
 * runs as one Lua script: one round trip, atomic on standalone and cluster alike.
 */
export class JobStateStore {
  readonly #batcher: CheckpointBatcher;
  /** The started jobs the reconciler sweep watches. */
  readonly inflight: InflightJobs;

  constructor(
    private readonly redis: RedisClient,
    ttl: Pick<TtlSettings, 'jobStatus' | 'jobProgress'>,
    now: () => Date = () => new Date(),
  ) {
    this.inflight = new InflightJobs(redis);
    this.#batcher = new CheckpointBatcher(redis, {
      statusTtlSeconds: ttl.jobStatus,
      progressTtlSeconds: ttl.jobProgress,
      streamMaxLength: JOB_EVENTS_MAX_LENGTH,
      // 1 % of the status TTL: a 1 h TTL is refreshed at most every 36 s between status changes.
      ttlRefreshSlackMs: ttl.jobStatus * 10,
      now,
    });
  }

  /** Not async on purpose: the hot path of every workflow makes one promise, not three. */
  checkpoint(jobId: string, update: CheckpointUpdate): Promise<CheckpointResult> {
    const problems = checkpointProblems(jobId, update);
    if (problems.length > 0) return Promise.reject(new InvalidCheckpointError(problems));
    return this.#batcher.submit(jobId, update);
  }

  /**
   * Commits the job's result (commands/commit.lua): a later cancel is refused with JobCommittedError.
   * Returns the status the job had: anything but queued/processing means the caller must stop; null
   * means the record is gone.
   */
  async commitResult(jobId: string): Promise<JobStatus | null> {
    const status = (await COMMIT.run(this.redis, [Keys.jobStatus(jobId)], [])) as string;
    return status === '' ? null : (status as JobStatus);
  }

  async getStatus(jobId: string): Promise<JobStatusRecord | null> {
    const hash = await this.redis.hgetall(Keys.jobStatus(jobId));
    if (!hash.status) return null;
    return {
      jobId: hash.jobId ?? jobId,
      userId: hash.userId ?? '',
      jobType: hash.jobType ?? '',
      status: hash.status as JobStatus,
      progress: Number(hash.progress ?? 0),
      step: hash.step ?? '',
      seq: Number(hash.seq ?? 0),
      createdAt: hash.createdAt ?? '',
      updatedAt: hash.updatedAt ?? '',
      ...(hash.estimatedTime !== undefined ? { estimatedTime: Number(hash.estimatedTime) } : {}),
      ...(hash.error !== undefined ? { error: hash.error } : {}),
    };
  }

  /** Events after `afterId` (exclusive; '0' or undefined = from the start), oldest first. */
  async readEvents(jobId: string, afterId = '0', count = JOB_EVENTS_MAX_LENGTH): Promise<JobEvent[]> {
    const start = afterId === '0' ? '-' : `(${afterId}`;
    const entries = await this.redis.xrange(Keys.jobEvents(jobId), start, '+', 'COUNT', count);
    return entries.map(([id, fields]) => toJobEvent(id, fields));
  }
}

export function toJobEvent(id: string, fields: string[]): JobEvent {
  const eventIndex = fields.indexOf('event');
  const raw = eventIndex >= 0 ? fields[eventIndex + 1] : undefined;
  if (raw === undefined) throw new Error(`job event ${id} has no event field`);
  return { id, message: JSON.parse(raw) as JobEventMessage };
}
