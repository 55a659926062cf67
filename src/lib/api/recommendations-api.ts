import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { AppServices } from '../app-services';
import { parseListQuery } from '../contracts/recommendation-request';
import { recommend, UnknownDestinationError } from '../recommendations/recommendation-service';
import { callerOf, canAccess } from './caller';
import { json, notFound, validationFailed } from './http-responses';

/**
 * GET /api/users/{userId}/recommendations?destination=&type=places&k=10 — the user's list from the
 * 2 h cache or computed now (recommendation-service.ts); 400 naming each bad parameter, 404 for a
 * destination without a catalog and for another user's list (unless the caller is an admin).
 */
export async function getRecommendations(
  request: HttpRequest,
  services: AppServices,
  context?: InvocationContext,
): Promise<HttpResponseInit> {
  const who = callerOf(request, services.settings.auth);
  if (!who.ok) return who.response;
  const query = parseListQuery(request.params.userId ?? '', new URL(request.url).searchParams);
  if (!query.ok) return validationFailed(query.issues);
  // Another user's recommendations answer as ones that do not exist (as profiles and jobs do).
  if (!canAccess(who.caller, query.value.userId))
    return notFound(`recommendations of user ${query.value.userId}`);
  const serving = await services.modelServing();
  try {
    const list = await recommend(
      serving.deps((error, modelName, version) =>
        context?.warn(`model ${modelName} version ${version} could not be loaded; serving popularity`, error),
      ),
      query.value,
    );
    return json(200, list);
  } catch (error) {
    if (error instanceof UnknownDestinationError)
      return notFound(`the catalog of ${query.value.destination}`);
    throw error;
  }
}
