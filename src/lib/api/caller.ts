import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { AuthSettings } from '../config/settings';
import { json } from './http-responses';

/**
 * Who is calling, from App Service authentication (Easy Auth). In Azure the platform validates the
 * Entra ID token before the request reaches the app, strips any `x-ms-client-principal*` header the
 * client sent, and adds its own: base64 JSON `{ auth_typ, claims: [{ typ, val }], name_typ, role_typ }`.
 * With authentication off (local development only) every request acts as an admin.
 */
export interface Caller {
  userId: string;
  isAdmin: boolean;
}

export type CallerResult = { ok: true; caller: Caller } | { ok: false; response: HttpResponseInit };

export const PRINCIPAL_HEADER = 'x-ms-client-principal';

/** The Entra ID object id: stable per user across apps (unlike `sub`). */
const OBJECT_ID_CLAIMS = ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'];
const ROLE_CLAIMS = ['roles', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'];

/** Every request when authentication is off. */
export const LOCAL_ADMIN: Caller = { userId: 'local-admin', isAdmin: true };

interface ClientPrincipal {
  auth_typ?: unknown;
  name_typ?: unknown;
  role_typ?: unknown;
  claims?: unknown;
}

export function callerOf(request: Pick<HttpRequest, 'headers'>, auth: AuthSettings): CallerResult {
  if (!auth.enabled) return { ok: true, caller: LOCAL_ADMIN };
  const header = request.headers.get(PRINCIPAL_HEADER);
  if (!header) return unauthorized(`sign in: the request carries no ${PRINCIPAL_HEADER} header`);
  let principal: ClientPrincipal;
  try {
    principal = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as ClientPrincipal;
  } catch {
    return unauthorized(`the ${PRINCIPAL_HEADER} header is not base64-encoded JSON`);
  }
  if (!principal || typeof principal !== 'object' || !Array.isArray(principal.claims)) {
    return unauthorized(`the ${PRINCIPAL_HEADER} header has no claims list`);
  }
  const claims = principal.claims.filter(
    (c): c is { typ: string; val: string } =>
      !!c && typeof c === 'object' && typeof c.typ === 'string' && typeof c.val === 'string',
  );
  const userId = claims.find((c) => OBJECT_ID_CLAIMS.includes(c.typ))?.val;
  if (!userId) {
    return unauthorized(`the signed-in principal has no object id claim (${OBJECT_ID_CLAIMS.join(' or ')})`);
  }
  const roleTypes =
    typeof principal.role_typ === 'string' ? [principal.role_typ, ...ROLE_CLAIMS] : ROLE_CLAIMS;
  const isAdmin = claims.some((c) => roleTypes.includes(c.typ) && c.val === auth.adminRole);
  return { ok: true, caller: { userId, isAdmin } };
}

/** Whether the caller may read or cancel what `ownerUserId` owns: its owner, or an admin. */
export function canAccess(caller: Caller, ownerUserId: string | undefined): boolean {
  return caller.isAdmin || (ownerUserId !== undefined && ownerUserId !== '' && caller.userId === ownerUserId);
}

/**
 * A submitted body's `userId`, checked against the caller: filled in when absent, refused (403) when
 * it names someone else and the caller is not an admin, so nobody queues work in another user's name.
 */
export function ownedBody(
  body: Record<string, unknown>,
  caller: Caller,
): { ok: true; body: Record<string, unknown> } | { ok: false; response: HttpResponseInit } {
  const given = body.userId;
  if (given === undefined) return { ok: true, body: { ...body, userId: caller.userId } };
  if (caller.isAdmin || given === caller.userId) return { ok: true, body };
  return {
    ok: false,
    response: json(403, {
      error: 'Forbidden',
      message: 'userId must be your own user id (only an admin submits for another user)',
      issues: [{ path: 'userId', message: 'is not the signed-in user' }],
    }),
  };
}

/** At most this many refused rows are named in a 403; the count says how many there were in all. */
const MAX_NAMED_ROWS = 20;

/**
 * Rows of a bulk body (interactions, batch items) that act for a user: a non-admin caller may only
 * send its own (403 naming each refused row by index, up to MAX_NAMED_ROWS), so nobody records
 * feedback or writes a schedule in another user's name through a bulk route.
 */
export function ownRowsOnly(
  rows: ReadonlyArray<{ userId: string }>,
  caller: Caller,
  path: string,
): HttpResponseInit | undefined {
  if (caller.isAdmin) return undefined;
  const refused = rows.flatMap((row, index) => (row.userId === caller.userId ? [] : [index]));
  if (refused.length === 0) return undefined;
  return json(403, {
    error: 'Forbidden',
    message: `${refused.length} of ${rows.length} ${path} act for another user (only an admin sends for other users)`,
    issues: refused
      .slice(0, MAX_NAMED_ROWS)
      .map((index) => ({ path: `${path}[${index}].userId`, message: 'is not the signed-in user' })),
  });
}

/** The caller when it is an admin; 401 unsigned, 403 naming the role otherwise (content and model operations). */
export function adminCaller(
  request: Pick<HttpRequest, 'headers'>,
  auth: AuthSettings,
  what: string,
): CallerResult {
  const who = callerOf(request, auth);
  if (!who.ok || who.caller.isAdmin) return who;
  return {
    ok: false,
    response: json(403, {
      error: 'Forbidden',
      message: `only an admin (app role ${auth.adminRole}) may ${what}`,
    }),
  };
}

/** A principal header as App Service writes it, for local requests and tests. */
export function encodePrincipal(userId: string, roles: string[] = []): string {
  const principal = {
    auth_typ: 'aad',
    name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    role_typ: 'roles',
    claims: [
      { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: userId },
      ...roles.map((role) => ({ typ: 'roles', val: role })),
    ],
  };
  return Buffer.from(JSON.stringify(principal)).toString('base64');
}

function unauthorized(message: string): CallerResult {
  return {
    ok: false,
    response: json(401, { error: 'Unauthorized', message }, { 'WWW-Authenticate': 'Bearer' }),
  };
}
