import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { AppServices } from '../app-services';
import { parseInteractionCall } from '../contracts/interaction';
import { CALL_ID_PATTERN } from '../interactions/log-layout';
import { entityIdField } from '../contracts/common-fields';
import { recordFeedback } from '../recommendations/record-feedback';
import { callerOf, canAccess, ownRowsOnly } from './caller';
import { json, notFound, validationFailed } from './http-responses';
import { readJsonBody } from './json-body';

/**
 * POST /api/interactions — up to 10,000 interactions a call, every row validated first (400 listing
 * each bad row by index and field; nothing stored), then appended to the durable log in Blob Storage.
 * `Idempotency-Key` names the call: a retry with the same key is stored once (the log's readers
 * de-duplicate by call and row), so a caller whose answer was lost can safely send again.
 * A signed-in user sends its own rows only (403 naming the others); an admin (a TripGen service) sends
 * anyone's. Visits then join the user's visited set and recommendation clicks / dismissals count for their
 * list's variant (record-feedback.ts; both idempotent), reported as `feedback` when there were any.
 */
export async function postInteractions(
  request: HttpRequest,
  services: AppServices,
): Promise<HttpResponseInit> {
  const callId = request.headers.get('idempotency-key') ?? `call-${randomUUID()}`;
  if (!CALL_ID_PATTERN.test(callId)) {
    return validationFailed([{ path: 'Idempotency-Key', message: 'must be 1-128 of A-Za-z0-9_.:-' }]);
  }
  const who = callerOf(request, services.settings.auth);
  if (!who.ok) return who.response;
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = parseInteractionCall(body.value);
  if (!parsed.ok) return validationFailed(parsed.issues);
  const forbidden = ownRowsOnly(parsed.value.interactions, who.caller, 'interactions');
  if (forbidden) return forbidden;
  const result = await services.interactionLog().append(callId, parsed.value.interactions);
  // After the log (the record): visited places and recommendation feedback, both idempotent.
  const feedback = await recordFeedback(await services.modelServing(), parsed.value.interactions);
  return json(200, { callId: result.callId, stored: result.stored, ...(feedback ? { feedback } : {}) });
}

/** GET /api/users/{userId}/profile — the preference profile of the last analysis, or 404 before the first. */
export async function getProfile(request: HttpRequest, services: AppServices): Promise<HttpResponseInit> {
  const who = callerOf(request, services.settings.auth);
  if (!who.ok) return who.response;
  const userId = request.params.userId ?? '';
  if (!entityIdField.safeParse(userId).success) {
    return validationFailed([{ path: 'userId', message: 'must be 1-128 letters, digits or _ . : @ -' }]);
  }
  // Another user's profile answers as one that does not exist.
  if (!canAccess(who.caller, userId)) return notFound(`profile of user ${userId}`);
  const profile = await (await services.profileStore()).get(userId);
  return profile
    ? json(200, profile)
    : notFound(`profile of user ${userId} (run a preferences analysis first)`);
}
