/**
 * The place catalog through the local host: PUT /api/catalog/{destination} stores it in Blob Storage
 * (real Azurite), GET reads it back; bad rows are refused by index and field and store nothing.
 */
import { startAppWithBlob, type AppWithBlob } from './app-with-blob';
import { uniqueId } from '../rig/redis-targets';

const place = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  name: `Place ${id}`,
  lat: 33.5,
  lng: 126.5,
  category: 'beach',
  visitMinutes: 90,
  priceLevel: 0,
  rating: 4.5,
  ...overrides,
});

describe('catalog API end to end', () => {
  let app: AppWithBlob;
  beforeAll(async () => {
    app = await startAppWithBlob('TripGenAICatalogTest');
  });
  afterAll(() => app.stop());

  const put = (destination: string, body: unknown, contentType = 'application/json') =>
    app.api(`catalog/${encodeURIComponent(destination)}`, {
      method: 'PUT',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': contentType },
    });

  it('stores the places and serves them back, with a summary by category', async () => {
    const destination = `Jeju ${uniqueId('cat')}`;
    const response = await put(destination, { places: [place('a'), place('b', { category: 'museum' })] });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      destination,
      places: 2,
      categories: { beach: 1, museum: 1 },
    });
    const read = await app.api(`catalog/${encodeURIComponent(destination.toLowerCase())}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as { places: { id: string }[] }).places.map((p) => p.id)).toEqual(['a', 'b']);
    const summary = await app.api(`catalog/${encodeURIComponent(destination)}?summary=true`);
    expect(await summary.json()).toMatchObject({ places: 2 });
  });

  it('refuses bad rows by index and field and keeps the previous catalog', async () => {
    const destination = `Busan ${uniqueId('bad')}`;
    expect((await put(destination, { places: [place('keep')] })).status).toBe(200);
    const response = await put(destination, {
      places: [place('x'), place('y', { lat: 91 }), place('x'), place('z', { visitMinutes: 2 })],
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { issues: { path: string; message: string }[] };
    expect(body.issues.map((i) => i.path).sort()).toEqual([
      'places[1].lat',
      'places[2].id',
      'places[3].visitMinutes',
    ]);
    expect(body.issues.find((i) => i.path === 'places[2].id')?.message).toMatch(/duplicates place id "x"/);
    const read = await app.api(`catalog/${encodeURIComponent(destination)}`);
    expect(((await read.json()) as { places: { id: string }[] }).places.map((p) => p.id)).toEqual(['keep']);
  });

  it('names the destination, the empty list and the media type when they are wrong', async () => {
    const badName = await put('-bad/name', { places: [place('a')] });
    expect([400, 404]).toContain(badName.status); // a slash makes another route: never stored
    const badDestination = await put('%20-x', { places: [place('a')] });
    expect(badDestination.status).toBe(400);
    expect(JSON.stringify(await badDestination.json())).toMatch(/destination/);
    const empty = await put(`Seoul ${uniqueId('e')}`, { places: [] });
    expect(await empty.json()).toMatchObject({
      issues: [{ path: 'places', message: 'must list at least one place' }],
    });
    expect((await put(`Seoul ${uniqueId('t')}`, 'places', 'text/plain')).status).toBe(415);
    expect((await app.api(`catalog/${encodeURIComponent(`Nowhere ${uniqueId('n')}`)}`)).status).toBe(404);
  });
});
