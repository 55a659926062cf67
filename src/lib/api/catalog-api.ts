import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { AppServices } from '../app-services';
import { parseCatalogBody, parseDestination } from '../contracts/catalog';
import { adminCaller, callerOf } from './caller';
import { json, notFound, validationFailed } from './http-responses';
import { readJsonBody } from './json-body';

/**
 * PUT /api/catalog/{destination} — replaces the destination's places (`{ places: [...] }`, the trip
 * request's place schema). Every bad row is listed by index and field and nothing is stored. Admins only:
 * a catalog is shared content, not a user's own data.
 */
export async function putCatalog(request: HttpRequest, services: AppServices): Promise<HttpResponseInit> {
  const admin = adminCaller(request, services.settings.auth, 'replace a destination catalog');
  if (!admin.ok) return admin.response;
  const destination = parseDestination(request.params.destination ?? '');
  if (!destination.ok) return validationFailed([destination.issue]);
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = parseCatalogBody(body.value);
  if (!parsed.ok) return validationFailed(parsed.issues);
  const stored = await services.catalogStore().put(destination.value, parsed.value.places);
  return json(200, summary(stored));
}

/** GET /api/catalog/{destination} — the stored catalog (`?summary=true`: counts only). */
export async function getCatalog(request: HttpRequest, services: AppServices): Promise<HttpResponseInit> {
  const who = callerOf(request, services.settings.auth);
  if (!who.ok) return who.response;
  const destination = parseDestination(request.params.destination ?? '');
  if (!destination.ok) return validationFailed([destination.issue]);
  const catalog = await services.catalogStore().get(destination.value);
  if (!catalog) return notFound(`catalog of ${destination.value}`);
  return json(200, request.query.get('summary') === 'true' ? summary(catalog) : catalog);
}

function summary(catalog: { destination: string; updatedAt: string; places: { category: string }[] }) {
  const categories: Record<string, number> = {};
  for (const place of catalog.places) categories[place.category] = (categories[place.category] ?? 0) + 1;
  return {
    destination: catalog.destination,
    updatedAt: catalog.updatedAt,
    places: catalog.places.length,
    categories,
  };
}
