import { RestError, type ContainerClient } from '@azure/storage-blob';
import {
  CorruptCheckpointError,
  deserializeTrainingState,
  serializeTrainingState,
  type TrainingState,
} from './training-state';

/**
 * Training checkpoints in Blob Storage, one blob per training run:
 *   checkpoints/<modelName>/<runId>.bin   the latest state (bytes end with their sha256)
 * Written after every epoch, before the activity returns; an epoch only overwrites an older one
 * (the blob's metadata carries the epoch, checked under the blob's ETag), so a retried or late
 * activity can never put the run back. A resumed run reads it and continues from that epoch.
 */
const RUN_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export class CheckpointStore {
  constructor(private readonly container: ContainerClient) {}

  /** Saves `state` unless a checkpoint of the same or a later epoch is already there; says which. */
  async save(modelName: string, runId: string, state: TrainingState): Promise<'saved' | 'kept-newer'> {
    const blob = this.container.getBlockBlobClient(blobName(modelName, runId));
    const bytes = serializeTrainingState(state);
    for (let attempt = 0; attempt < 10; attempt++) {
      let etag: string | undefined;
      try {
        const properties = await blob.getProperties();
        if (Number(properties.metadata?.epoch ?? -1) >= state.epoch) return 'kept-newer';
        etag = properties.etag;
      } catch (error) {
        if (!(error instanceof RestError && error.statusCode === 404)) throw error;
      }
      try {
        await blob.uploadData(bytes, {
          metadata: { epoch: String(state.epoch) },
          conditions: etag ? { ifMatch: etag } : { ifNoneMatch: '*' },
        });
        return 'saved';
      } catch (error) {
        if (!(error instanceof RestError && (error.statusCode === 412 || error.statusCode === 409)))
          throw error;
      }
    }
    throw new Error(`checkpoint ${modelName}/${runId}: still changing after 10 attempts`);
  }

  /** The latest checkpoint of the run, or null when it has none; a corrupt one is an error. */
  async load(modelName: string, runId: string): Promise<TrainingState | null> {
    try {
      const bytes = await this.container.getBlockBlobClient(blobName(modelName, runId)).downloadToBuffer();
      return deserializeTrainingState(bytes);
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return null;
      if (error instanceof CorruptCheckpointError)
        throw new CorruptCheckpointError(`${modelName}/${runId}: ${error.message}`);
      throw error;
    }
  }
}

function blobName(modelName: string, runId: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(modelName))
    throw new RangeError('modelName: must be 1-63 of a-z, 0-9 and -');
  if (!RUN_ID.test(runId)) throw new RangeError('runId: must be 1-128 of A-Za-z0-9_.:-');
  return `checkpoints/${modelName}/${runId}.bin`;
}
