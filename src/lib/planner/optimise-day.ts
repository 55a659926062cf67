import { haversineKm } from './geo';
import { bestWindowedOrder } from './exact-route';
import { bestOrder, EXACT_LIMIT, localSearch, type RouteCosts } from './route-order';
import { timeDay } from './time-day';
import type { DayPlan, Place, TripGenerationRequest } from './types';

/**
 * Re-orders a planned day for the least travel, keeping every stop, then re-times it. The shortest
 * order ignoring hours (exact up to EXACT_LIMIT stops) is taken when the day's windows allow it;
 * otherwise the best local improvement that keeps them, and, up to EXACT_LIMIT stops, an exact search
 * among the orders the windows allow when it finds less travel. Dropped candidates stay dropped.
 */
export function optimiseDayRoute(
  request: TripGenerationRequest,
  plan: DayPlan,
  options: { exact?: boolean } = {},
): DayPlan {
  const byId = new Map(request.places.map((p) => [p.id, p]));
  const places = plan.stops.map((s) => byId.get(s.placeId)).filter((p): p is Place => p !== undefined);
  if (places.length < 2) return plan;
  const meta = { dayIndex: plan.dayIndex, date: plan.date, weekday: plan.weekday };
  const costs = routeCosts(request, places);
  const timed = (order: number[]) =>
    timeDay(
      request,
      meta,
      order.map((i) => places[i]!),
    );
  const feasible = (order: number[]) => timed(order).dropped.length === 0;
  const exact = (options.exact ?? true) && places.length <= EXACT_LIMIT;

  const shortest = bestOrder(costs, options);
  if (feasible(shortest)) return { ...timed(shortest), dropped: plan.dropped };
  let order = localSearch(
    places.map((_, i) => i),
    costs,
    feasible,
  );
  // No order travels less than the shortest one that ignores the hours (up to rounding each leg to
  // 10 m): when the local search already matches it, the exact search has nothing to find.
  const floorKm = timed(shortest).totals.travelKm + 0.005 * (places.length + 1);
  const foundKm = timed(order).totals.travelKm;
  if (exact && foundKm > floorKm) order = bestWindowedOrder(request, plan.weekday, places, foundKm) ?? order;
  return { ...timed(order), dropped: plan.dropped };
}

export function routeCosts(request: TripGenerationRequest, places: Place[]): RouteCosts {
  const n = places.length;
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) matrix[i * n + j] = haversineKm(places[i]!, places[j]!);
  const lodging = request.lodging;
  return {
    n,
    pair: (i, j) => matrix[i * n + j]!,
    startCost: (i) => (lodging ? haversineKm(lodging, places[i]!) : 0),
    endCost: (i) => (lodging ? haversineKm(places[i]!, lodging) : 0),
  };
}
