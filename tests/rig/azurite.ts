import { BlobServiceClient } from '@azure/storage-blob';
import { startAzuriteBlob, type AzuriteHandle } from '../../tools/azurite/azurite-process';

// The tests' Azurite is the tools' one, in memory (no `location`).
export { startAzuriteBlob, type AzuriteHandle };

/**
 * A private Azurite Blob service for the calling test file: started before its tests, stopped after
 * them. Read `blobService` (or `azurite`) inside tests and hooks, not at module level.
 */
export function useAzuriteBlob(): {
  readonly azurite: AzuriteHandle;
  readonly blobService: BlobServiceClient;
} {
  const rig = {} as { azurite: AzuriteHandle; blobService: BlobServiceClient };
  beforeAll(async () => {
    rig.azurite = await startAzuriteBlob();
    rig.blobService = BlobServiceClient.fromConnectionString(rig.azurite.connectionString);
  });
  afterAll(() => rig.azurite?.stop());
  return rig;
}
