import { planTrip } from '../../../src/lib/planner';
import { dayRules, startOfDay, visit, type WalkState } from '../../../src/lib/planner/day-walk';
import { travelLeg } from '../../../src/lib/planner/geo';
import type { Place, TripGenerationRequest } from '../../../src/lib/planner/types';
import { generatedRequest, parse, seededRandom } from './planner-fixtures';

/**
 * The least travel among every order of the day's stops that the day's windows allow, walking the day
 * one stop at a time with the planner's own rules of what fits (day-walk.ts). Two cuts keep it quick
 * without losing any order that could win: a prefix that breaks a window breaks it in every
 * extension, and a prefix that already travels more than the best full order cannot end shorter.
 */
function bestFeasibleKm(request: TripGenerationRequest, weekday: string, places: Place[]): number {
  const rules = dayRules(request, weekday);
  let best = Infinity;
  const grow = (state: WalkState, last: Place | undefined, km: number, rest: Place[]) => {
    if (km >= best) return;
    if (rest.length === 0) {
      best = Math.min(best, km + travelLeg(last!, request.lodging!, request.transport).km);
      return;
    }
    rest.forEach((next, i) => {
      const step = visit(rules, state, next);
      if (step.ok) grow(step.next, next, km + step.leg.km, [...rest.slice(0, i), ...rest.slice(i + 1)]);
    });
  };
  grow(startOfDay(rules), undefined, 0, places);
  return best;
}

/**
 * Seven or eight places, one day, with opening hours that bind: some open mornings only, some
 * afternoons only, some all day. The planner's order must be within 5 % of the best order the hours
 * allow (found by trying all of them).
 */
function windowedInstance(seed: number): TripGenerationRequest {
  const random = seededRandom(seed * 7919);
  const base = generatedRequest(seed, 7 + (seed % 2), 1, { dayStart: '08:00', dayEnd: '22:00' });
  const hours = [
    { tue: [['08:00', '13:00']] },
    { tue: [['13:00', '22:00']] },
    {
      tue: [
        ['10:00', '12:00'],
        ['14:00', '18:00'],
      ],
    },
    undefined,
  ];
  const places = base.places.map((p) => {
    const openingHours = hours[Math.floor(random() * hours.length)];
    return { ...p, visitMinutes: 45, ...(openingHours ? { openingHours } : {}) };
  });
  return parse({ ...base, places });
}

describe('route optimality under opening hours, checked against every order', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])(
    'seed %i: within 5 % of the best feasible order',
    (seed) => {
      const request = windowedInstance(seed);
      const schedule = planTrip(request);
      const day = schedule.days[0]!;
      expect(day.weekday).toBe('tue');
      expect(day.stops.length).toBeGreaterThanOrEqual(5);
      const byId = new Map(request.places.map((p) => [p.id, p]));
      const optimum = bestFeasibleKm(
        request,
        day.weekday,
        day.stops.map((s) => byId.get(s.placeId)!),
      );
      // The planner's own order is one of those tried: the optimum is finite and no longer than it.
      expect(day.totals.travelKm).toBeGreaterThanOrEqual(optimum - 1e-6);
      expect(day.totals.travelKm).toBeLessThanOrEqual(optimum * 1.05 + 1e-9);
    },
  );
});
