import type { Place, TripGenerationRequest } from './types';

/**
 * Estimated spend per visit by price level, in the currency of budgetPerDay (KRW for the Korean
 * market: free, ~10k, ~25k, ~50k, ~100k per person).
 */
export const PRICE_LEVEL_COST = [0, 10_000, 25_000, 50_000, 100_000] as const;

/** Stops a day holds and the share of the day window they may fill, by pace. */
export const PACE = {
  relaxed: { maxStops: 4, windowShare: 0.7 },
  moderate: { maxStops: 6, windowShare: 0.85 },
  packed: { maxStops: 8, windowShare: 1 },
} as const;

export function visitCost(place: Place): number {
  return PRICE_LEVEL_COST[place.priceLevel] ?? 0;
}

/**
 * How much a traveller would want this place: interest in its category counts most, rating next.
 * A category the traveller named no interest in still counts a little (they may enjoy it).
 */
export function placeScore(place: Place, request: TripGenerationRequest): number {
  const interest = request.interests?.[place.category] ?? 0.1;
  return interest * 0.65 + (place.rating / 5) * 0.35;
}

/** Ranks places best first; ties broken by id so the order never depends on input order. */
export function rankPlaces(places: Place[], request: TripGenerationRequest): Place[] {
  const must = new Set(request.mustVisit ?? []);
  return [...places].sort((a, b) => {
    const mustOrder = Number(must.has(b.id)) - Number(must.has(a.id));
    if (mustOrder !== 0) return mustOrder;
    const diff = placeScore(b, request) - placeScore(a, request);
    if (Math.abs(diff) > 1e-12) return diff;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}
