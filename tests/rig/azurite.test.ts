import { BlobServiceClient } from '@azure/storage-blob';
import { startAzuriteBlob, type AzuriteHandle } from './azurite';

describe('Azurite fixture', () => {
  let azurite: AzuriteHandle;
  beforeAll(async () => {
    azurite = await startAzuriteBlob();
  });
  afterAll(() => azurite.stop());

  it('serves real Blob storage to the Azure SDK', async () => {
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const container = service.getContainerClient('fixture-check');
    await container.create();
    await container.getBlockBlobClient('hello.json').upload('{"ok":true}', 11);
    const downloaded = await container.getBlobClient('hello.json').downloadToBuffer();
    expect(JSON.parse(downloaded.toString())).toEqual({ ok: true });
  });
});
