import type { TripRequestRef } from './contracts';

/**
 * The request as one day's activity needs it: every field, but only the places that day works with.
 * planDay and optimiseDay look places up only by the ids they are given (lib/planner/plan-day.ts,
 * optimise-day.ts), so the result is the same; what changes is the Durable history, which otherwise
 * carried the whole place list (15 KB for the 41-place sample) into every day's activity input and so
 * into every replay of the orchestration (measured with npm run bench:e2e). Pure and deterministic.
 */
export function dayRequest(request: TripRequestRef, placeIds: readonly string[]): TripRequestRef {
  const wanted = new Set(placeIds);
  const places = Array.isArray(request.places) ? (request.places as Array<{ id?: unknown }>) : [];
  return { ...request, places: places.filter((p) => typeof p.id === 'string' && wanted.has(p.id)) };
}

/** The place ids of a day's assignment or plan, as the planner returns them. */
export function dayPlaceIds(day: unknown): string[] {
  const value = day as { placeIds?: unknown; stops?: Array<{ placeId?: unknown }> } | null;
  if (Array.isArray(value?.placeIds))
    return value.placeIds.filter((id): id is string => typeof id === 'string');
  if (Array.isArray(value?.stops))
    return value.stops.map((s) => s.placeId).filter((id): id is string => typeof id === 'string');
  return [];
}
