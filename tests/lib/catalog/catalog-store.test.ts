import { BlobServiceClient } from '@azure/storage-blob';
import { CATALOG_CONTAINER, CatalogStore, catalogBlobName } from '../../../src/lib/catalog/catalog-store';
import type { Place } from '../../../src/lib/contracts/place-schema';
import { useAzuriteBlob } from '../../rig/azurite';
import { uniqueId } from '../../rig/redis-targets';

const rig = useAzuriteBlob();

const place = (id: string, category = 'museum'): Place => ({
  id,
  name: `Place ${id}`,
  lat: 37.5,
  lng: 127,
  category,
  visitMinutes: 60,
  priceLevel: 1,
  rating: 4.2,
});

/** A clock the test moves, so "stale after a minute" is exact. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('CatalogStore on Azurite', () => {
  it('stores a catalog durably: a new store (another process) reads it back', async () => {
    const destination = `Seoul ${uniqueId('c')}`;
    await new CatalogStore(rig.blobService, { refreshAfterMs: 60_000 }).put(destination, [
      place('a'),
      place('b'),
    ]);
    const fresh = new CatalogStore(rig.blobService, { refreshAfterMs: 60_000 });
    const catalog = await fresh.get(destination.toUpperCase());
    expect(catalog?.places.map((p) => p.id)).toEqual(['a', 'b']);
    expect(catalog?.destination).toBe(destination);
    expect(await fresh.place(destination, 'b')).toMatchObject({ id: 'b' });
    expect(await fresh.place(destination, 'zz')).toBeUndefined();
  });

  it('answers undefined for a destination never stored, and for any destination before the container exists', async () => {
    const store = new CatalogStore(BlobServiceClient.fromConnectionString(rig.azurite.connectionString), {
      refreshAfterMs: 60_000,
    });
    expect(await store.get(`nowhere-${uniqueId('d')}`)).toBeUndefined();
  });

  it('keeps distinct destinations apart, whatever their script', async () => {
    const store = new CatalogStore(rig.blobService, { refreshAfterMs: 60_000 });
    const suffix = uniqueId('u');
    await store.put(`서울 ${suffix}`, [place('kr')]);
    await store.put(`Tokyo ${suffix}`, [place('jp')]);
    const reader = new CatalogStore(rig.blobService, { refreshAfterMs: 60_000 });
    expect((await reader.get(`서울 ${suffix}`))?.places[0]?.id).toBe('kr');
    expect((await reader.get(`Tokyo ${suffix}`))?.places[0]?.id).toBe('jp');
    expect(catalogBlobName(`서울 ${suffix}`)).toMatch(/^catalogs\/[0-9a-f]{32}\.json$/);
  });

  it("serves its in-process copy until it is stale, then sees another process's replacement", async () => {
    const destination = `Busan ${uniqueId('r')}`;
    const writer = new CatalogStore(rig.blobService, { refreshAfterMs: 60_000 });
    await writer.put(destination, [place('old')]);
    const clock = manualClock();
    const reader = new CatalogStore(rig.blobService, { refreshAfterMs: 60_000, now: clock.now });
    expect((await reader.get(destination))?.places[0]?.id).toBe('old');

    await writer.put(destination, [place('new')]);
    clock.advance(59_000);
    expect((await reader.get(destination))?.places[0]?.id).toBe('old'); // cached: no Blob read
    clock.advance(2_000);
    expect((await reader.get(destination))?.places[0]?.id).toBe('new');
  });

  it('revalidates an unchanged catalog without reading it again (If-None-Match)', async () => {
    const destination = `Jeju ${uniqueId('e')}`;
    await new CatalogStore(rig.blobService, { refreshAfterMs: 0 }).put(destination, [place('x')]);
    const clock = manualClock();
    const reader = new CatalogStore(rig.blobService, { refreshAfterMs: 1_000, now: clock.now });
    const first = await reader.get(destination);
    clock.advance(5_000);
    const second = await reader.get(destination);
    // The same object: the 304 kept the copy rather than parsing a new one.
    expect(second).toBe(first);
  });

  it('shares one load among concurrent readers of a destination', async () => {
    const destination = `Incheon ${uniqueId('s')}`;
    await new CatalogStore(rig.blobService, { refreshAfterMs: 0 }).put(destination, [place('s')]);
    const reader = new CatalogStore(rig.blobService, { refreshAfterMs: 60_000 });
    const all = await Promise.all(Array.from({ length: 10 }, () => reader.get(destination)));
    expect(new Set(all).size).toBe(1);
  });

  it('refuses a stored blob that is not a catalog of this version, instead of serving it', async () => {
    const destination = `Daegu ${uniqueId('b')}`;
    const container = rig.blobService.getContainerClient(CATALOG_CONTAINER);
    await container.createIfNotExists();
    await container.getBlockBlobClient(catalogBlobName(destination)).upload('{"schemaVersion":9}', 19);
    await expect(new CatalogStore(rig.blobService, { refreshAfterMs: 0 }).get(destination)).rejects.toThrow(
      /not a version 1 catalog/,
    );
  });
});
