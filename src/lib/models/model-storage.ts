import type { BlobServiceClient } from '@azure/storage-blob';
import { CheckpointStore } from './checkpoint-store';
import { ModelRegistry } from './model-registry';

/**
 * Where models live in Blob Storage: one container for the registry (routing, version records,
 * artifacts, data-quality reports), training checkpoints and the training jobs' dataset snapshots.
 * The one home of the name; the blob names inside are each module's own.
 */
export const MODELS_CONTAINER = 'ai-models';

export function modelRegistry(blobService: BlobServiceClient): ModelRegistry {
  return new ModelRegistry(blobService.getContainerClient(MODELS_CONTAINER));
}

export function checkpointStore(blobService: BlobServiceClient): CheckpointStore {
  return new CheckpointStore(blobService.getContainerClient(MODELS_CONTAINER));
}
