import { planTrip } from '../../../src/lib/planner';
import type { TripGenerationRequest } from '../../../src/lib/planner/types';
import { checkInvariants, generatedRequest, parse, seededRandom } from './planner-fixtures';

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
