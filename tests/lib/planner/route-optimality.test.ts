import { haversineKm } from '../../../src/lib/planner/geo';
import { optimiseDayRoute, routeCosts } from '../../../src/lib/planner/optimise-day';
import { planDay } from '../../../src/lib/planner/plan-day';
import { routeCost } from '../../../src/lib/planner/route-order';
import { selectAndAssign } from '../../../src/lib/planner/select-and-assign';
import type { DayPlan, Place, TripGenerationRequest } from '../../../src/lib/planner/types';
import { generatedRequest } from './planner-fixtures';

/** The shortest order by trying every permutation (fine up to 8 stops: 40,320 orders). */
function bruteForceKm(request: TripGenerationRequest, places: Place[]): number {
  const costs = routeCosts(request, places);
  let best = Infinity;
  const permute = (order: number[], rest: number[]) => {
    if (rest.length === 0) best = Math.min(best, routeCost(order, costs));
    rest.forEach((next, i) => permute([...order, next], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  permute(
    [],
    places.map((_, i) => i),
  );
  return best;
}

function routeKm(request: TripGenerationRequest, plan: DayPlan): number {
  const byId = new Map(request.places.map((p) => [p.id, p]));
  const stops = plan.stops.map((s) => byId.get(s.placeId)!);
  let km = haversineKm(request.lodging!, stops[0]!) + haversineKm(stops[stops.length - 1]!, request.lodging!);
  for (let i = 1; i < stops.length; i++) km += haversineKm(stops[i - 1]!, stops[i]!);
  return km;
}

describe('route optimality on instances small enough to solve exactly', () => {
  // Open all day and a long window: only the order matters, so brute force gives the true optimum.
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it.each(seeds)('seed %i: exact mode finds the optimum, local search stays within 5 %', (seed) => {
    const request = generatedRequest(seed, 30, 1, { dayStart: '06:00', dayEnd: '23:59' });
    const { days } = selectAndAssign(request);
    const planned = planDay(request, days[0]!);
    expect(planned.stops.length).toBeGreaterThanOrEqual(6);
    const byId = new Map(request.places.map((p) => [p.id, p]));
    const optimum = bruteForceKm(
      request,
      planned.stops.map((s) => byId.get(s.placeId)!),
    );

    const exact = optimiseDayRoute(request, planned);
    const heuristic = optimiseDayRoute(request, planned, { exact: false });
    expect(routeKm(request, exact)).toBeCloseTo(optimum, 6);
    expect(routeKm(request, heuristic)).toBeLessThanOrEqual(optimum * 1.05);
    expect(exact.stops.map((s) => s.placeId).sort()).toEqual(planned.stops.map((s) => s.placeId).sort());
  });
});
