import type { BlobServiceClient } from '@azure/storage-blob';
import { BATCH_RESULTS_CONTAINER } from '../../lib/batch/batch-results';
import type { BatchItem } from '../../lib/batch/batch-items';
import { assertJobId } from '../../lib/redis/key-parts';

/**
 * A batch's items, staged in chunks of BatchSize as blobs, so the orchestration history carries chunk
 * numbers, never the items (a batch may hold 100,000 trip requests). Writing a chunk again replaces
 * it with the same content, so staging is safe to retry.
 */
export class BatchChunkStore {
  constructor(private readonly blobService: BlobServiceClient) {}

  async write(jobId: string, chunkIndex: number, items: BatchItem[]): Promise<void> {
    const container = this.blobService.getContainerClient(BATCH_RESULTS_CONTAINER);
    await container.createIfNotExists();
    const body = JSON.stringify(items);
    await container
      .getBlockBlobClient(chunkBlobName(jobId, chunkIndex))
      .upload(body, Buffer.byteLength(body));
  }

  async read(jobId: string, chunkIndex: number): Promise<BatchItem[]> {
    const blob = this.blobService
      .getContainerClient(BATCH_RESULTS_CONTAINER)
      .getBlobClient(chunkBlobName(jobId, chunkIndex));
    return JSON.parse((await blob.downloadToBuffer()).toString('utf8')) as BatchItem[];
  }
}

function chunkBlobName(jobId: string, chunkIndex: number): string {
  return `batch-items/${assertJobId(jobId)}/chunk-${String(chunkIndex).padStart(8, '0')}.json`;
}
