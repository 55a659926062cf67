import { createHash } from 'node:crypto';
import { RestError, type ContainerClient } from '@azure/storage-blob';
import type { Interaction } from '../contracts/interaction';
import type { ConfidenceWeights } from './confidence-weights';
import { logFromInteractions, type InteractionLog } from './interaction-log';
import { datasetFingerprint } from './model-artifact';

/**
 * The data one training job learns from, frozen once: the interaction log in columns, each place's
 * category, and the fingerprint. Stored in Blob by the first step of the job, so every epoch, the
 * evaluation and the registration of that job (on whichever process, after whatever restart) read
 * the very same rows in the very same order; a log that grows meanwhile changes nothing.
 *
 *   training-runs/<modelName>/<jobId>/dataset.bin
 *   bytes: magic, header length (u32 LE), JSON header, user (i32), place (i32), weight (f32),
 *          time (f64), sha256 of all before it.
 */
export interface TrainingData {
  log: InteractionLog;
  /** Category of each place index (from the rows, else the catalog), null when unknown. */
  placeCategories: Array<string | null>;
  fingerprint: string;
}

const MAGIC = 'TGMFDATA01';

/**
 * The training log from valid interactions, in a canonical order (by time, then user, place,
 * action, rating), so the same rows read in any order give the same matrix, holdout and model.
 * Exact duplicate rows (a sender's retry) count once.
 */
export function trainingDataFrom(
  rows: readonly Interaction[],
  weights: ConfidenceWeights,
  catalogCategory?: (placeId: string) => string | undefined,
): TrainingData {
  const keyed = rows.map((row) => ({ row, at: Date.parse(row.at), key: rowKey(row) }));
  keyed.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const unique = keyed.filter(
    (entry, n) => n === 0 || entry.key !== keyed[n - 1]!.key || entry.at !== keyed[n - 1]!.at,
  );
  const log = logFromInteractions(
    unique.map((entry) => entry.row),
    weights,
  );
  const categoryOf = new Map<string, string>();
  for (const { row } of unique)
    if (row.category && !categoryOf.has(row.placeId)) categoryOf.set(row.placeId, row.category);
  const placeCategories = log.placeIds.map((id) => categoryOf.get(id) ?? catalogCategory?.(id) ?? null);
  return { log, placeCategories, fingerprint: datasetFingerprint(log) };
}

function rowKey(row: Interaction): string {
  return JSON.stringify([row.userId, row.placeId, row.action, row.rating ?? null]);
}

export function serializeTrainingData(data: TrainingData): Buffer {
  const { log } = data;
  const header = Buffer.from(
    JSON.stringify({
      userIds: log.userIds,
      placeIds: log.placeIds,
      placeCategories: data.placeCategories,
      rows: log.user.length,
      fingerprint: data.fingerprint,
    }),
    'utf8',
  );
  const pad = (8 - ((MAGIC.length + 4 + header.length) % 8)) % 8;
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length + pad);
  const bytes = (view: ArrayBufferView) =>
    Buffer.from(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  const body = Buffer.concat([
    Buffer.from(MAGIC, 'ascii'),
    length,
    header,
    Buffer.alloc(pad, 0x20),
    bytes(log.time),
    bytes(log.user),
    bytes(log.place),
    bytes(log.weight),
  ]);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

export function deserializeTrainingData(buffer: Buffer): TrainingData {
  const body = buffer.subarray(0, buffer.length - 32);
  if (
    buffer.length < MAGIC.length + 36 ||
    buffer.toString('ascii', 0, MAGIC.length) !== MAGIC ||
    !createHash('sha256')
      .update(body)
      .digest()
      .equals(buffer.subarray(buffer.length - 32))
  ) {
    throw new Error('training dataset: not a dataset snapshot, or truncated (sha256 does not match)');
  }
  const headerLength = body.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  const header = JSON.parse(body.toString('utf8', start, start + headerLength)) as {
    userIds: string[];
    placeIds: string[];
    placeCategories: Array<string | null>;
    rows: number;
    fingerprint: string;
  };
  const n = header.rows;
  let at = start + headerLength;
  const take = <T>(make: (buffer: ArrayBuffer) => T, width: number): T => {
    const copy = new ArrayBuffer(n * width);
    new Uint8Array(copy).set(body.subarray(at, at + n * width));
    at += n * width;
    return make(copy);
  };
  const time = take((b) => new Float64Array(b), 8);
  const user = take((b) => new Int32Array(b), 4);
  const place = take((b) => new Int32Array(b), 4);
  const weight = take((b) => new Float32Array(b), 4);
  if (at !== body.length) throw new Error('training dataset: column sizes do not match the header');
  const log: InteractionLog = {
    userIds: header.userIds,
    placeIds: header.placeIds,
    user,
    place,
    weight,
    time,
  };
  return { log, placeCategories: header.placeCategories, fingerprint: header.fingerprint };
}

/** Training-run blobs of one job (its frozen dataset). */
export class TrainingDataStore {
  constructor(private readonly container: ContainerClient) {}

  /**
   * Stores the job's dataset unless it already has one, and returns the one stored: the first
   * attempt's snapshot wins, so a retried first step trains on exactly what the first one saw.
   */
  async freeze(modelName: string, jobId: string, data: TrainingData): Promise<TrainingData> {
    const blob = this.container.getBlockBlobClient(blobName(modelName, jobId));
    try {
      await blob.uploadData(serializeTrainingData(data), { conditions: { ifNoneMatch: '*' } });
      return data;
    } catch (error) {
      if (!(error instanceof RestError && (error.statusCode === 409 || error.statusCode === 412)))
        throw error;
      return (await this.load(modelName, jobId))!;
    }
  }

  async load(modelName: string, jobId: string): Promise<TrainingData | null> {
    try {
      return deserializeTrainingData(
        await this.container.getBlockBlobClient(blobName(modelName, jobId)).downloadToBuffer(),
      );
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return null;
      throw error;
    }
  }
}

function blobName(modelName: string, jobId: string): string {
  return `training-runs/${modelName}/${jobId}/dataset.bin`;
}
