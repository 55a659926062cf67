import { BlobServiceClient } from '@azure/storage-blob';
import { ModelRegistry } from '../../../src/lib/models/model-registry';
import { MODELS_CONTAINER } from '../../../src/lib/models/model-storage';
import { ModelCache } from '../../../src/lib/recommendations/model-cache';
import { startAzuriteBlob, type AzuriteHandle } from '../../rig/azurite';
import { servingData, trainAndRegister } from '../../e2e/serving-fixture';

jest.setTimeout(60_000);

let azurite: AzuriteHandle;
beforeAll(async () => (azurite = await startAzuriteBlob()));
afterAll(() => azurite?.stop());

describe('model cache', () => {
  it('loads a version once per process, keeps at most its capacity, and refuses a changed artifact', async () => {
    const data = servingData('cache');
    const versions: number[] = [];
    for (const seed of [1, 2, 3])
      versions.push((await trainAndRegister(azurite.connectionString, 'cache-model', data, seed, 1)).version);
    const registry = new ModelRegistry(
      BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(MODELS_CONTAINER),
    );
    const cache = new ModelCache(registry, 2);
    const [a, b] = await Promise.all([
      cache.get('cache-model', versions[0]!),
      cache.get('cache-model', versions[0]!),
    ]);
    expect(a).toBe(b);
    expect(cache.loads).toBe(1);
    expect(a.userIndex.get(data.userIds[0]!)).toBe(0);
    await cache.get('cache-model', versions[1]!);
    await cache.get('cache-model', versions[0]!); // most recent again
    await cache.get('cache-model', versions[2]!); // evicts versions[1], the least recently used
    expect(cache.loads).toBe(3);
    await cache.get('cache-model', versions[0]!);
    expect(cache.loads).toBe(3);
    await cache.get('cache-model', versions[1]!);
    expect(cache.loads).toBe(4);

    // An artifact that is not the registered one is refused, and the failure is not kept.
    const other = await registry.getArtifact('cache-model', versions[0]!);
    await registry.putArtifact('cache-model', versions[2]!, other);
    const fresh = new ModelCache(registry);
    await expect(fresh.get('cache-model', versions[2]!)).rejects.toThrow(/is not the registered/);
    await expect(fresh.get('cache-model', 99)).rejects.toThrow(/has no version 99/);
    expect(fresh.loads).toBe(2);
  });
});
