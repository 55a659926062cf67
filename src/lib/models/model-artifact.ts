import { createHash } from 'node:crypto';
import type { Hyperparameters } from './hyperparameters';
import type { InteractionLog } from './interaction-log';
import { float32Bytes, type TrainingState } from './training-state';
import { sharedFloat32 } from './sparse-matrix';

/**
 * A trained model as one file: factors, the id <-> index maps and what produced it. Only
 * deterministic content goes in (no clock, no timings), so two runs with the same data, settings
 * and seed give the same bytes and the same artifactSha256, however they were interrupted.
 * Layout: magic, header length (u32 LE), JSON header, user factors, item factors (f32 LE).
 */
export interface ModelArtifact {
  modelName: string;
  hyperparameters: Hyperparameters;
  epochs: number;
  datasetFingerprint: string;
  userIds: string[];
  placeIds: string[];
  userFactors: Float32Array;
  itemFactors: Float32Array;
}

const MAGIC = 'TGMFMODEL1';

export function artifactFromState(
  state: TrainingState,
  ids: { userIds: string[]; placeIds: string[] },
  modelName: string,
  datasetFingerprint: string,
): ModelArtifact {
  return {
    modelName,
    hyperparameters: state.hyperparameters,
    epochs: state.epoch,
    datasetFingerprint,
    userIds: ids.userIds,
    placeIds: ids.placeIds,
    userFactors: state.userFactors,
    itemFactors: state.itemFactors,
  };
}

export function serializeArtifact(artifact: ModelArtifact): { bytes: Buffer; artifactSha256: string } {
  const { userFactors, itemFactors, ...header } = artifact;
  const k = artifact.hyperparameters.factors;
  if (
    userFactors.length !== artifact.userIds.length * k ||
    itemFactors.length !== artifact.placeIds.length * k
  ) {
    throw new RangeError('artifact: factor sizes do not match the id maps');
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (4 - ((MAGIC.length + 4 + json.length) % 4)) % 4;
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length + pad);
  const bytes = Buffer.concat([
    Buffer.from(MAGIC, 'ascii'),
    length,
    json,
    Buffer.alloc(pad, 0x20),
    float32Bytes(userFactors),
    float32Bytes(itemFactors),
  ]);
  return { bytes, artifactSha256: sha256(bytes) };
}

export function deserializeArtifact(bytes: Uint8Array, expectedSha256?: string): ModelArtifact {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (expectedSha256 !== undefined && sha256(buffer) !== expectedSha256) {
    throw new Error(`artifact: sha256 ${sha256(buffer)} is not the registered ${expectedSha256}`);
  }
  if (buffer.toString('ascii', 0, MAGIC.length) !== MAGIC) throw new Error('artifact: not a model artifact');
  const headerLength = buffer.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  const header = JSON.parse(buffer.toString('utf8', start, start + headerLength)) as Omit<
    ModelArtifact,
    'userFactors' | 'itemFactors'
  >;
  const k = header.hyperparameters.factors;
  const users = header.userIds.length * k;
  const items = header.placeIds.length * k;
  const at = start + headerLength;
  if (at + (users + items) * 4 !== buffer.length)
    throw new Error('artifact: factor sizes do not match the header');
  const read = (offset: number, length: number) => {
    const out = sharedFloat32(length);
    new Uint8Array(out.buffer, out.byteOffset, length * 4).set(buffer.subarray(offset, offset + length * 4));
    return out;
  };
  return { ...header, userFactors: read(at, users), itemFactors: read(at + users * 4, items) };
}

/** sha256 of the training data as the model saw it: ids and every column, in order. */
export function datasetFingerprint(log: InteractionLog): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([log.userIds, log.placeIds]));
  for (const column of [log.user, log.place, log.weight, log.time]) {
    hash.update(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
  }
  return hash.digest('hex');
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
