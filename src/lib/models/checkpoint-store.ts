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
 *
 * The store remembers the states it wrote last (with the ETag each write returned): the next epoch's
 * load, usually in the same process, then costs one properties request instead of downloading and
 * checking 2.4 MB (8,000 users and 1,500 places at 64 factors). Any other write changes the ETag, and
 * the blob is read as before.
 */
const RUN_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export class CheckpointStore {
  readonly #written = new Map<string, { etag: string; state: TrainingState }>();

  constructor(
    private readonly container: ContainerClient,
    /** How many runs' last written states are kept (a process trains few runs at once). */
    private readonly remembered = 2,
  ) {}

  /** Saves `state` unless a checkpoint of the same or a later epoch is already there; says which. */
  async save(modelName: string, runId: string, state: TrainingState): Promise<'saved' | 'kept-newer'> {
    const blob = this.container.getBlockBlobClient(blobName(modelName, runId));
    const bytes = await serializeTrainingState(state);
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
        const written = await blob.uploadData(bytes, {
          metadata: { epoch: String(state.epoch) },
          conditions: etag ? { ifMatch: etag } : { ifNoneMatch: '*' },
        });
        if (written.etag) this.#remember(blob.name, written.etag, state);
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
    const blob = this.container.getBlockBlobClient(blobName(modelName, runId));
    try {
      const written = this.#written.get(blob.name);
      if (written && (await blob.getProperties()).etag === written.etag) return written.state;
      return await deserializeTrainingState(await blob.downloadToBuffer());
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return null;
      if (error instanceof CorruptCheckpointError)
        throw new CorruptCheckpointError(`${modelName}/${runId}: ${error.message}`);
      throw error;
    }
  }

  #remember(name: string, etag: string, state: TrainingState): void {
    this.#written.delete(name); // re-insert: most recent last
    this.#written.set(name, { etag, state });
    while (this.#written.size > this.remembered) this.#written.delete(this.#written.keys().next().value!);
  }
}

function blobName(modelName: string, runId: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(modelName))
    throw new RangeError('modelName: must be 1-63 of a-z, 0-9 and -');
  if (!RUN_ID.test(runId)) throw new RangeError('runId: must be 1-128 of A-Za-z0-9_.:-');
  return `checkpoints/${modelName}/${runId}.bin`;
}
