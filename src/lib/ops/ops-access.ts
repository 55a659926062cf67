import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { callerOf } from '../api/caller';
import { json } from '../api/http-responses';
import type { AuthSettings } from '../config/settings';

/** 401 without a signed-in caller, 403 for one without the admin role; undefined for an administrator. */
export function opsRefusal(
  request: Pick<HttpRequest, 'headers'>,
  auth: AuthSettings,
): HttpResponseInit | undefined {
  const who = callerOf(request, auth);
  if (!who.ok) return who.response;
  if (!who.caller.isAdmin) {
    return json(403, { error: 'Forbidden', message: 'the operations dashboard is for administrators' });
  }
  return undefined;
}
