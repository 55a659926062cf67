import { webcrypto } from 'node:crypto';
import type { Hyperparameters } from './hyperparameters';
import type { RandomState } from './random';
import { sharedFloat32 } from './sparse-matrix';

/**
 * Everything a training run needs to continue: both factor matrices, the generator's state, the
 * epoch reached and the per-epoch history. One epoch maps a state to the next; a state written to
 * bytes and read back continues exactly as the original would have.
 */
export interface TrainingState {
  hyperparameters: Hyperparameters;
  users: number;
  items: number;
  epoch: number;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  random: RandomState;
  /** Training loss after each epoch (ALS: weighted squared error; BPR: mean -log sigmoid). */
  losses: number[];
  epochSeconds: number[];
}

const MAGIC = 'TGMFSTATE1';
const CHECKSUM_BYTES = 32;

/**
 * Bytes: magic, header length (u32 LE), JSON header, factors (f32 LE), sha256 of all before it.
 * Written into one buffer (no intermediate copies) and hashed on libuv's thread pool (WebCrypto's
 * digest is asynchronous): hashing and concatenating a 2.4 MB state on the event loop took 18-20 ms,
 * enough to push the loop's delay p99 past 50 ms beside a busy worker.
 */
export async function serializeTrainingState(state: TrainingState): Promise<Buffer> {
  const { userFactors, itemFactors, ...rest } = state;
  const header = Buffer.from(JSON.stringify(rest), 'utf8');
  const pad = (4 - ((MAGIC.length + 4 + header.length) % 4)) % 4;
  const factorsStart = MAGIC.length + 4 + header.length + pad;
  const bodyLength = factorsStart + userFactors.byteLength + itemFactors.byteLength;
  const out = Buffer.allocUnsafe(bodyLength + CHECKSUM_BYTES);
  out.write(MAGIC, 0, 'ascii');
  out.writeUInt32LE(header.length + pad, MAGIC.length);
  header.copy(out, MAGIC.length + 4);
  out.fill(0x20, MAGIC.length + 4 + header.length, factorsStart);
  out.set(littleEndianBytes(userFactors), factorsStart);
  out.set(littleEndianBytes(itemFactors), factorsStart + userFactors.byteLength);
  out.set(await sha256(out.subarray(0, bodyLength)), bodyLength);
  return out;
}

export class CorruptCheckpointError extends Error {
  override name = 'CorruptCheckpointError';
}

/** Reads bytes written by `serializeTrainingState`; the checksum is verified off the event loop. */
export async function deserializeTrainingState(bytes: Uint8Array): Promise<TrainingState> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (
    buffer.length < MAGIC.length + 4 + CHECKSUM_BYTES ||
    buffer.toString('ascii', 0, MAGIC.length) !== MAGIC
  ) {
    throw new CorruptCheckpointError('checkpoint: not a training-state file');
  }
  const body = buffer.subarray(0, buffer.length - CHECKSUM_BYTES);
  const expected = buffer.subarray(buffer.length - CHECKSUM_BYTES);
  if (!(await sha256(body)).equals(expected)) {
    throw new CorruptCheckpointError('checkpoint: sha256 does not match (truncated or altered)');
  }
  const headerLength = body.readUInt32LE(MAGIC.length);
  const headerStart = MAGIC.length + 4;
  const rest = JSON.parse(body.toString('utf8', headerStart, headerStart + headerLength)) as Omit<
    TrainingState,
    'userFactors' | 'itemFactors'
  >;
  const k = rest.hyperparameters.factors;
  let at = headerStart + headerLength;
  const userFactors = readFloat32(body, at, rest.users * k);
  at += rest.users * k * 4;
  const itemFactors = readFloat32(body, at, rest.items * k);
  at += rest.items * k * 4;
  if (at !== body.length)
    throw new CorruptCheckpointError('checkpoint: factor sizes do not match the header');
  return { ...rest, userFactors, itemFactors };
}

/**
 * A copy of the state with its own (shared-memory) factor arrays, for an epoch to update in place.
 * With `copyFactors: false` the arrays are left empty for the caller to fill elsewhere: the first
 * touch of fresh memory costs page faults (measured 100-300 ms for 6 MB on a busy machine), which
 * an epoch in a pool pays in a worker rather than on the event loop.
 */
export function cloneTrainingState(state: TrainingState, copyFactors = true): TrainingState {
  const userFactors = sharedFloat32(state.userFactors.length);
  const itemFactors = sharedFloat32(state.itemFactors.length);
  if (copyFactors) {
    userFactors.set(state.userFactors);
    itemFactors.set(state.itemFactors);
  }
  return {
    ...state,
    userFactors,
    itemFactors,
    random: [...state.random],
    losses: [...state.losses],
    epochSeconds: [...state.epochSeconds],
  };
}

/** The array's bytes (little-endian), a copy. */
export function float32Bytes(values: Float32Array): Buffer {
  return Buffer.from(littleEndianBytes(values));
}

/** A view of the array's bytes, which are little-endian on every host this runs on. */
function littleEndianBytes(values: Float32Array): Uint8Array {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1)
    throw new Error('big-endian hosts are not supported');
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

async function sha256(bytes: Uint8Array): Promise<Buffer> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes));
}

function readFloat32(buffer: Buffer, offset: number, length: number): Float32Array {
  if (offset + length * 4 > buffer.length)
    throw new CorruptCheckpointError('checkpoint: factor sizes do not match the header');
  const out = sharedFloat32(length);
  new Uint8Array(out.buffer, out.byteOffset, length * 4).set(buffer.subarray(offset, offset + length * 4));
  return out;
}
