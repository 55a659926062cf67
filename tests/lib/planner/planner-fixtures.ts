import fs from 'node:fs';
import path from 'node:path';
import { openIntervals, toMinutes } from '../../../src/lib/planner/clock-time';
import { PACE } from '../../../src/lib/planner/scoring';
import type { TripSchedule } from '../../../src/lib/planner/types';
import {
  parseTripGenerationRequest,
  type TripGenerationRequest,
} from '../../../src/lib/contracts/trip-generation-request';

export function sampleRequest(overrides: Record<string, unknown> = {}): TripGenerationRequest {
  const raw = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '../../../samples/trip-request.json'), 'utf8'),
  ) as object;
  return parse({ ...raw, jobId: 'job-sample', ...overrides });
}

export function parse(input: unknown): TripGenerationRequest {
  const parsed = parseTripGenerationRequest(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

/** mulberry32: a small seeded PRNG, so generated instances are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A city-sized instance around Seoul's centre: `count` places, `days` days. */
export function generatedRequest(
  seed: number,
  count: number,
  days: number,
  overrides: Record<string, unknown> = {},
) {
  const random = seededRandom(seed);
  const categories = ['palace', 'museum', 'market', 'park', 'food', 'landmark'];
  const places = Array.from({ length: count }, (_, i) => ({
    id: `p${i}`,
    name: `Place ${i}`,
    lat: 37.5665 + (random() - 0.5) * 0.12,
    lng: 126.978 + (random() - 0.5) * 0.16,
    category: categories[i % categories.length]!,
    visitMinutes: 30 + Math.floor(random() * 4) * 15,
    priceLevel: Math.floor(random() * 3),
    rating: 3 + Math.round(random() * 20) / 10,
  }));
  return parse({
    jobId: `gen-${seed}`,
    tripId: `trip-${seed}`,
    userId: 'u',
    destination: 'Seoul',
    startDate: '2026-12-01',
    days,
    pace: 'packed',
    interests: Object.fromEntries(categories.map((c, i) => [c, (i + 1) / categories.length])),
    transport: 'transit',
    lodging: { lat: 37.5665, lng: 126.978 },
    places,
    ...overrides,
  });
}

/** What every schedule must satisfy: each place accounted for once, every day inside its window, hours, pace and budget. */
export function checkInvariants(request: TripGenerationRequest, schedule: TripSchedule): void {
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
