import { BlobServiceClient } from '@azure/storage-blob';
import { azureCredential, type IdentitySetting } from './azure-credential';
import type { Settings } from './settings';

/**
 * How to reach the app's Blob storage, as plain data: a worker thread (which shares no objects with
 * the main thread) builds its own client from it, with the same identity.
 */
export type BlobAccess = { connectionString: string } | { accountName: string; identity: IdentitySetting };

export function blobAccess(settings: Pick<Settings, 'storage' | 'identity'>): BlobAccess {
  const { connectionString, accountName } = settings.storage;
  return connectionString ? { connectionString } : { accountName: accountName!, identity: settings.identity };
}

export function blobServiceFor(access: BlobAccess): BlobServiceClient {
  return 'connectionString' in access
    ? BlobServiceClient.fromConnectionString(access.connectionString)
    : new BlobServiceClient(
        `https://${access.accountName}.blob.core.windows.net`,
        azureCredential(access.identity),
      );
}
