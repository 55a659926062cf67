/**
 * The place catalog through the local host: PUT /api/catalog/{destination} stores it in Blob Storage
 * (real Azurite), GET reads it back; bad rows are refused by index and field and store nothing.
 */
import { startAppWithBlob, type AppWithBlob } from './app-with-blob';
import { encodePrincipal } from '../../src/lib/api/caller';
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

describe('catalog API with App Service authentication on', () => {
  let app: AppWithBlob;
  beforeAll(async () => {
    app = await startAppWithBlob('TripGenAICatalogAuthTest', { env: { AUTH_ENABLED: 'true' } });
  });
  afterAll(() => app.stop());

  const put = (destination: string, headers: Record<string, string>) =>
    app.api(`catalog/${encodeURIComponent(destination)}`, {
      method: 'PUT',
      body: JSON.stringify({ places: [place('a')] }),
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('lets only an admin replace a catalog; any signed-in caller reads it', async () => {
    const destination = `Gyeongju ${uniqueId('auth')}`;
    expect((await put(destination, {})).status).toBe(401);
    const user = await put(destination, { 'x-ms-client-principal': encodePrincipal('user-1') });
    expect(user.status).toBe(403);
    expect(JSON.stringify(await user.json())).toMatch(/TripGen\.Admin/);
    const admin = { 'x-ms-client-principal': encodePrincipal('ops-1', ['TripGen.Admin']) };
    expect((await put(destination, admin)).status).toBe(200);
    const read = await app.api(`catalog/${encodeURIComponent(destination)}`, {
      headers: { 'x-ms-client-principal': encodePrincipal('user-1') },
    });
    expect(read.status).toBe(200);
    expect((await app.api(`catalog/${encodeURIComponent(destination)}`)).status).toBe(401);
  });
});
