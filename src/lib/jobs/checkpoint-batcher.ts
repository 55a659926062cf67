import path from 'node:path';
import calculateSlot from 'cluster-key-slot';
import type { RedisClient } from '../redis/client-factory';
import { JobChannelPrefixes, Keys } from '../redis/keys';
import { defineScript } from '../redis/script-loader';
import type { CheckpointUpdate } from './job-types';

const SCRIPT = path.join(__dirname, 'commands', 'checkpoint-var.lua');
/**
 * Checkpoints per script call. Small enough that Redis runs one call while the client prepares the
 * next (and no call holds the Redis thread long), large enough to share the per-call cost.
 */
const MAX_BATCH = 32;
/** Separator of the packed rare fields; JSON.stringify escapes it, and ids may not contain it. */
const UNIT_SEPARATOR = '\u001f';

export type RawCheckpointResult = [
  code: number,
  status: string,
  progress: number,
  seq: number,
  streamId: string,
];

interface Pending {
  jobId: string;
  update: CheckpointUpdate;
  resolve(result: RawCheckpointResult): void;
  reject(error: unknown): void;
}

export interface BatcherSettings {
  statusTtlSeconds: number;
  progressTtlSeconds: number;
  /** Refresh a job's TTLs at most this often unless its status changes (see checkpoint-var.lua). */
  ttlRefreshSlackMs: number;
  streamMaxLength: number;
  now: () => Date;
}

type ScriptClient = RedisClient & {
  checkpoint(numKeys: number, ...args: Array<string | number>): Promise<Array<string | number>>;
};

/**
 * Gathers the checkpoints issued in one tick (many activities share a process) and sends them as one
 * script call per cluster slot. Each checkpoint stays atomic and keeps its own result.
 */
export class CheckpointBatcher {
  readonly #client: ScriptClient;
  #queue: Pending[] = [];
  #scheduled = false;

  constructor(
    client: RedisClient,
    private readonly settings: BatcherSettings,
  ) {
    defineScript(client, SCRIPT);
    this.#client = client as ScriptClient;
  }

  submit(jobId: string, update: CheckpointUpdate): Promise<RawCheckpointResult> {
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
    const args: Array<string | number> = [
      now.toISOString(),
      this.settings.statusTtlSeconds,
      this.settings.progressTtlSeconds,
      this.settings.streamMaxLength,
      JobChannelPrefixes.status,
      JobChannelPrefixes.progress,
      JobChannelPrefixes.complete,
      JobChannelPrefixes.error,
      now.getTime(),
      this.settings.ttlRefreshSlackMs,
    ];
    for (const { jobId, update } of batch) {
      keys.push(Keys.jobStatus(jobId), Keys.jobProgress(jobId), Keys.jobEvents(jobId));
      args.push(
        jobId,
        update.status ?? '',
        update.progress ?? '',
        update.step ?? '',
        update.estimatedTime ?? '',
        update.seq ?? '',
        rareFields(update),
      );
    }
    try {
      const flat = await this.#client.checkpoint(keys.length, ...keys, ...args);
      batch.forEach((item, i) => {
        const [code, status, progress, seq, streamId] = flat.slice(i * 5, i * 5 + 5);
        item.resolve([Number(code), String(status), Number(progress), Number(seq), String(streamId)]);
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }
}

function rareFields(update: CheckpointUpdate): string {
  if (
    update.userId === undefined &&
    update.jobType === undefined &&
    update.error === undefined &&
    !update.data
  ) {
    return '';
  }
  return [
    update.userId ?? '',
    update.jobType ?? '',
    update.error ?? '',
    update.error === undefined ? '' : JSON.stringify(update.error),
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
