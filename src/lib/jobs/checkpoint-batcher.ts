import path from 'node:path';
import calculateSlot from 'cluster-key-slot';
import type { RedisClient } from '../redis/client-factory';
import { JobChannelPrefixes, Keys } from '../redis/keys';
import { LuaScript } from '../redis/lua-script';
import { checkpointResult } from './checkpoint-reply';
import type { CheckpointResult, CheckpointUpdate } from './job-types';
import { TtlRefreshTracker } from './ttl-refresh-tracker';

const SCRIPT = LuaScript.fromFile(path.join(__dirname, 'commands', 'checkpoint.lua'));
/**
 * Checkpoints per script call. Small enough that Redis runs one call while the client prepares the
 * next (and no call holds the Redis thread long), large enough to share the per-call cost.
 */
const MAX_BATCH = 32;
/**
 * Separator of a checkpoint's packed fields (packedFields spells it \u001f in its template, where it
 * costs no concatenation). Ids, steps and job types may not contain it, JSON.stringify escapes it,
 * and it is replaced in error text (see rareFields).
 */
const UNIT_SEPARATOR = '\u001f';

interface Pending {
  jobId: string;
  update: CheckpointUpdate;
  resolve(result: CheckpointResult): void;
  reject(error: unknown): void;
}

export interface BatcherSettings {
  statusTtlSeconds: number;
  progressTtlSeconds: number;
  /** How stale a job's TTLs may get between status changes (see TtlRefreshTracker). */
  ttlRefreshSlackMs: number;
  streamMaxLength: number;
  now: () => Date;
}

/**
 * Gathers the checkpoints issued in one tick (many activities share a process) and sends them as one
 * script call per cluster slot. Each checkpoint stays atomic and keeps its own result.
 */
export class CheckpointBatcher {
  readonly #client: RedisClient;
  readonly #ttlRefresh: TtlRefreshTracker;
  #queue: Pending[] = [];
  #scheduled = false;

  constructor(
    client: RedisClient,
    private readonly settings: BatcherSettings,
  ) {
    this.#client = client;
    this.#ttlRefresh = new TtlRefreshTracker(settings.ttlRefreshSlackMs);
  }

  submit(jobId: string, update: CheckpointUpdate): Promise<CheckpointResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ jobId, update, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        process.nextTick(() => this.#flush());
      }
    });
  }

  #flush(): void {
    const queue = this.#queue;
    this.#queue = [];
    this.#scheduled = false;
    const groups = new Map<number, Pending[]>();
    for (const item of queue) {
      // A cluster script may only touch keys of one slot; standalone Redis takes them all at once.
      const slot = this.#client.isCluster ? calculateSlot(Keys.jobStatus(item.jobId)) : 0;
      const group = groups.get(slot) ?? [];
      group.push(item);
      groups.set(slot, group);
    }
    for (const group of groups.values()) {
      for (let i = 0; i < group.length; i += MAX_BATCH) void this.#send(group.slice(i, i + MAX_BATCH));
    }
  }

  async #send(batch: Pending[]): Promise<void> {
    const keys: string[] = [];
    const now = this.settings.now();
    const args: string[] = [
      now.toISOString(),
      String(this.settings.statusTtlSeconds),
      String(this.settings.progressTtlSeconds),
      String(this.settings.streamMaxLength),
      JobChannelPrefixes.status,
      JobChannelPrefixes.progress,
      JobChannelPrefixes.complete,
      JobChannelPrefixes.error,
    ];
    const nowMs = now.getTime();
    const refreshes = batch.map(({ jobId }) => this.#ttlRefresh.isDue(jobId, nowMs));
    batch.forEach(({ jobId, update }, i) => {
      keys.push(Keys.jobStatus(jobId), Keys.jobProgress(jobId), Keys.jobEvents(jobId));
      args.push(packedFields(jobId, update, refreshes[i]!));
    });
    try {
      const replies = (await SCRIPT.run(this.#client, keys, args)) as string[];
      batch.forEach((item, i) => {
        let result: CheckpointResult;
        try {
          result = checkpointResult(item.jobId, replies[i]!);
        } catch (error) {
          item.reject(error);
          return;
        }
        if (refreshes[i] && result.outcome === 'applied') this.#ttlRefresh.refreshed(item.jobId, nowMs);
        item.resolve(result);
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }
}

/**
 * A checkpoint's fields as one argument, split again by the script. Ten arguments per checkpoint
 * instead of four cost the client more than the split costs Redis: ioredis builds the request four
 * string pieces per argument, and that garbage's collection pauses left Redis idle between batches.
 */
function packedFields(jobId: string, update: CheckpointUpdate, refreshTtl: boolean): string {
  const { status = '', progress = '', step = '', estimatedTime = '', seq = '' } = update;
  const rare = rareFields(update, refreshTtl);
  return `${jobId}\u001f${status}\u001f${progress}\u001f${step}\u001f${estimatedTime}\u001f${seq}\u001f${rare}`;
}

function rareFields(update: CheckpointUpdate, refreshTtl: boolean): string {
  if (
    !refreshTtl &&
    update.userId === undefined &&
    update.jobType === undefined &&
    update.error === undefined &&
    !update.data
  ) {
    return '';
  }
  // The one free text among the fields: its separators become spaces, in the record and the message.
  const error = update.error?.replaceAll(UNIT_SEPARATOR, ' ');
  return [
    refreshTtl ? '1' : '',
    update.userId ?? '',
    update.jobType ?? '',
    error ?? '',
    error === undefined ? '' : JSON.stringify(error),
    extraDataMembers(update.data),
  ].join(UNIT_SEPARATOR);
}

/** `data` members other than the ones the script writes itself, as JSON text without the braces. */
function extraDataMembers(data: Record<string, unknown> | undefined): string {
  if (!data) return '';
  const { step: _step, estimatedTime: _estimatedTime, error: _error, ...extra } = data;
  const json = JSON.stringify(extra);
  return json === '{}' ? '' : json.slice(1, -1);
}
