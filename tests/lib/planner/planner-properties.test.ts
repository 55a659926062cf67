import { openIntervals, toMinutes } from '../../../src/lib/planner/clock-time';
import { planTrip } from '../../../src/lib/planner';
import { PACE } from '../../../src/lib/planner/scoring';
import type { TripGenerationRequest, TripSchedule } from '../../../src/lib/planner/types';
import { generatedRequest, parse, seededRandom } from './planner-fixtures';

const PACES = ['relaxed', 'moderate', 'packed'] as const;
const MODES = ['walk', 'transit', 'car'] as const;
const HOURS = [
  undefined,
  {
    tue: [['09:00', '18:00']],
    wed: [['09:00', '18:00']],
    thu: [['09:00', '18:00']],
    fri: [['09:00', '18:00']],
  },
  {
    mon: [
      ['11:00', '15:00'],
      ['17:00', '22:00'],
    ],
    sat: [['10:00', '24:00']],
    sun: [['10:00', '24:00']],
  },
  { wed: [['06:00', '10:00']] },
];

/** Varied instances: days, pace, mode, lodging or none, budget or none, hours, must-visits. */
function variedRequest(seed: number): TripGenerationRequest {
  const random = seededRandom(seed * 104729);
  const days = 1 + (seed % 7);
  const base = generatedRequest(seed, 15 + days * 9, days, {
    pace: PACES[seed % 3],
    transport: MODES[Math.floor(seed / 3) % 3],
    ...(seed % 4 === 0 ? { lodging: undefined } : {}),
    ...(seed % 5 === 0 ? { budgetPerDay: 40_000 } : {}),
    dayStart: seed % 2 ? '09:00' : '10:30',
    dayEnd: seed % 3 ? '21:00' : '18:00',
  });
  const places = base.places.map((p) => {
    const openingHours = HOURS[Math.floor(random() * HOURS.length)];
    return { ...p, ...(openingHours ? { openingHours } : {}) };
  });
  // Must-visits open every day, so every one of them can be placed somewhere.
  const mustVisit = places
    .filter((p) => !p.openingHours)
    .slice(0, Math.min(days, 3))
    .map((p) => p.id);
  return parse({ ...base, places, mustVisit });
}

function checkInvariants(request: TripGenerationRequest, schedule: TripSchedule): void {
  const byId = new Map(request.places.map((p) => [p.id, p]));
  const visited = schedule.days.flatMap((d) => d.stops.map((s) => s.placeId));
  expect(new Set(visited).size).toBe(visited.length);
  const accounted = [...visited, ...schedule.leftOut.map((l) => l.placeId)].sort();
  expect(accounted).toEqual(request.places.map((p) => p.id).sort());
  expect(visited).toEqual(expect.arrayContaining(request.mustVisit ?? []));
  expect(schedule.days.map((d) => d.dayIndex)).toEqual(Array.from({ length: request.days }, (_, i) => i));

  for (const day of schedule.days) {
    expect(day.stops.length).toBeLessThanOrEqual(PACE[request.pace].maxStops);
    if (request.budgetPerDay !== undefined)
      expect(day.totals.estimatedCost).toBeLessThanOrEqual(request.budgetPerDay);
    let clock = toMinutes(request.dayStart);
    for (const [i, stop] of day.stops.entries()) {
      const place = byId.get(stop.placeId)!;
      const arrival = toMinutes(stop.arrival);
      const start = arrival + stop.waitMinutes;
      expect(arrival).toBe(clock + stop.travelMinutesFromPrevious);
      expect(toMinutes(stop.departure)).toBe(start + place.visitMinutes);
      expect(
        openIntervals(place.openingHours, day.weekday).some(
          ([open, close]) => start >= open && start + place.visitMinutes <= close,
        ),
      ).toBe(true);
      if (i === 0 && !request.lodging) expect(stop.travelKmFromPrevious).toBe(0);
      clock = toMinutes(stop.departure);
    }
    expect(clock).toBeLessThanOrEqual(toMinutes(request.dayEnd));
    if (request.lodging && day.stops.length > 0) {
      expect(toMinutes(day.returnToLodging!.arrival)).toBeLessThanOrEqual(toMinutes(request.dayEnd));
    } else {
      expect(day.returnToLodging).toBeUndefined();
    }
    const legsKm =
      day.stops.reduce((s, stop) => s + stop.travelKmFromPrevious, 0) + (day.returnToLodging?.travelKm ?? 0);
    expect(day.totals.travelKm).toBeCloseTo(legsKm, 6);
  }
  expect(schedule.totals.stops).toBe(visited.length);
  expect(schedule.totals.estimatedCost).toBe(schedule.days.reduce((s, d) => s + d.totals.estimatedCost, 0));
}

describe('planner invariants over varied generated trips', () => {
  it.each(Array.from({ length: 24 }, (_, i) => i + 1))('seed %i', (seed) => {
    const request = variedRequest(seed);
    const schedule = planTrip(request);
    checkInvariants(request, schedule);
    // Deterministic, and blind to the order the places arrive in.
    expect(planTrip(request)).toEqual(schedule);
    expect(planTrip({ ...request, places: [...request.places].reverse() })).toEqual(schedule);
  });
});
