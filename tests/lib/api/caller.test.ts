import { HttpRequest } from '@azure/functions';
import {
  callerOf,
  canAccess,
  encodePrincipal,
  LOCAL_ADMIN,
  ownedBody,
  ownRowsOnly,
} from '../../../src/lib/api/caller';

const on = { enabled: true, adminRole: 'TripGen.Admin' };
const request = (headers: Record<string, string> = {}) =>
  new HttpRequest({ method: 'GET', url: 'http://localhost/api/jobs/j1', headers });

/** The header exactly as App Service writes it (claims with `typ`/`val`, role_typ naming the roles claim). */
const azurePrincipal = (claims: Array<{ typ: string; val: string }>) =>
  Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      claims,
      name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
      role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
    }),
  ).toString('base64');

describe('callerOf', () => {
  it('with authentication off, every request acts as an admin (whatever header it carries)', () => {
    const result = callerOf(request({ 'x-ms-client-principal': encodePrincipal('u1') }), {
      ...on,
      enabled: false,
    });
    expect(result).toEqual({ ok: true, caller: LOCAL_ADMIN });
  });

  it('reads the object id and roles from the principal App Service sends', () => {
    const header = azurePrincipal([
      { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'oid-123' },
      { typ: 'name', val: 'Kim' },
      { typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', val: 'TripGen.Admin' },
    ]);
    expect(callerOf(request({ 'x-ms-client-principal': header }), on)).toEqual({
      ok: true,
      caller: { userId: 'oid-123', isAdmin: true },
    });
  });

  it('accepts the short oid claim; a user without the admin role is not an admin', () => {
    const header = azurePrincipal([
      { typ: 'oid', val: 'oid-9' },
      { typ: 'roles', val: 'TripGen.Reader' },
    ]);
    expect(callerOf(request({ 'x-ms-client-principal': header }), on)).toEqual({
      ok: true,
      caller: { userId: 'oid-9', isAdmin: false },
    });
  });

  it.each([
    [{}, 'carries no x-ms-client-principal header'],
    [{ 'x-ms-client-principal': 'not base64 json!' }, 'not base64-encoded JSON'],
    [{ 'x-ms-client-principal': Buffer.from('{"auth_typ":"aad"}').toString('base64') }, 'no claims list'],
    [{ 'x-ms-client-principal': azurePrincipal([{ typ: 'name', val: 'x' }]) }, 'no object id claim'],
  ])('answers 401 for %j', (headers, message) => {
    const result = callerOf(request(headers as Record<string, string>), on);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.response.status).toBe(401);
    expect((result.response.jsonBody as { message: string }).message).toContain(message);
  });
});

describe('canAccess', () => {
  it('lets the owner and an admin in, nobody else', () => {
    expect(canAccess({ userId: 'a', isAdmin: false }, 'a')).toBe(true);
    expect(canAccess({ userId: 'b', isAdmin: false }, 'a')).toBe(false);
    expect(canAccess({ userId: 'b', isAdmin: true }, 'a')).toBe(true);
    expect(canAccess({ userId: '', isAdmin: false }, '')).toBe(false);
    expect(canAccess({ userId: 'b', isAdmin: false }, undefined)).toBe(false);
  });
});

describe('ownedBody', () => {
  it('fills in the caller as userId, keeps its own, refuses another user with 403 unless admin', () => {
    const user = { userId: 'a', isAdmin: false };
    expect(ownedBody({ tripId: 't' }, user)).toEqual({ ok: true, body: { tripId: 't', userId: 'a' } });
    expect(ownedBody({ userId: 'a' }, user)).toEqual({ ok: true, body: { userId: 'a' } });
    const refused = ownedBody({ userId: 'b' }, user);
    expect(!refused.ok && refused.response.status).toBe(403);
    expect(ownedBody({ userId: 'b' }, { userId: 'x', isAdmin: true })).toEqual({
      ok: true,
      body: { userId: 'b' },
    });
  });
});

describe('ownRowsOnly', () => {
  const alice = { userId: 'alice', isAdmin: false };
  const rows = (...users: string[]) => users.map((userId) => ({ userId }));

  it("passes a user's own rows and an admin's rows for anyone", () => {
    expect(ownRowsOnly(rows('alice', 'alice'), alice, 'items')).toBeUndefined();
    expect(ownRowsOnly(rows('alice', 'bob'), LOCAL_ADMIN, 'items')).toBeUndefined();
  });

  it("refuses a user's rows for others with 403 naming each by index, at most 20, and counting all", () => {
    const response = ownRowsOnly(rows('alice', 'bob', 'alice', 'carol'), alice, 'interactions');
    expect(response?.status).toBe(403);
    expect(response?.jsonBody).toEqual({
      error: 'Forbidden',
      message: '2 of 4 interactions act for another user (only an admin sends for other users)',
      issues: [
        { path: 'interactions[1].userId', message: 'is not the signed-in user' },
        { path: 'interactions[3].userId', message: 'is not the signed-in user' },
      ],
    });
    const many = ownRowsOnly(rows(...Array.from({ length: 30 }, () => 'bob')), alice, 'items');
    const body = many?.jsonBody as { message: string; issues: unknown[] };
    expect(body.issues).toHaveLength(20);
    expect(body.message).toMatch(/^30 of 30 items/);
  });
});
