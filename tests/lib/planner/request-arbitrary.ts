import fc from 'fast-check';
import { WEEKDAYS } from '../../../src/lib/contracts/trip-generation-request';

/**
 * fast-check generators of valid trip requests (src/lib/contracts/trip-generation-request.ts), covering
 * each field's whole valid range: bounds included, optional fields present or absent.
 */
const CATEGORIES = ['palace', 'museum', 'market', 'park', 'food', 'landmark'] as const;

const minutesToClock = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** An opening interval [open, close], close after open, 24:00 at most. */
const interval = fc
  .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 1440 }))
  .filter(([open, close]) => open < close)
  .map(([open, close]) => [minutesToClock(open), minutesToClock(close)] as const);

const openingHours = fc.dictionary(
  fc.constantFrom(...WEEKDAYS),
  fc.array(interval, { minLength: 1, maxLength: 4 }),
  {
    maxKeys: 7,
  },
);

const place = (index: number) =>
  fc.record(
    {
      id: fc.constant(`p${index}`),
      name: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim().length > 0),
      // Around Seoul, so routes stay city-sized (a place at the antipode is valid but plans nothing).
      lat: fc.double({ min: 37.45, max: 37.65, noNaN: true }),
      lng: fc.double({ min: 126.85, max: 127.1, noNaN: true }),
      category: fc.constantFrom(...CATEGORIES, 'nightlife'),
      visitMinutes: fc.integer({ min: 5, max: 720 }),
      openingHours,
      priceLevel: fc.integer({ min: 0, max: 4 }),
      rating: fc.double({ min: 0, max: 5, noNaN: true }),
    },
    { requiredKeys: ['id', 'name', 'lat', 'lng', 'category', 'visitMinutes', 'priceLevel', 'rating'] },
  );

const dayWindow = fc
  .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1439 }))
  .filter(([start, end]) => start < end)
  .map(([start, end]) => ({ dayStart: minutesToClock(start), dayEnd: minutesToClock(end) }));

const calendarDate = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

export const validTripRequest = fc
  .record({
    days: fc.integer({ min: 1, max: 14 }),
    count: fc.integer({ min: 1, max: 25 }),
    window: dayWindow,
    startDate: calendarDate,
    pace: fc.constantFrom('relaxed', 'moderate', 'packed'),
    transport: fc.constantFrom('walk', 'transit', 'car'),
    interests: fc.dictionary(fc.constantFrom(...CATEGORIES), fc.double({ min: 0, max: 1, noNaN: true })),
    budgetPerDay: fc.option(fc.integer({ min: 1, max: 200_000 }), { nil: undefined }),
    lodging: fc.option(fc.record({ lat: fc.constant(37.5665), lng: fc.constant(126.978) }), {
      nil: undefined,
    }),
  })
  .chain((shape) =>
    fc.tuple(fc.constant(shape), fc.tuple(...Array.from({ length: shape.count }, (_, i) => place(i)))),
  )
  .map(([shape, places]) => ({
    jobId: 'job-prop',
    tripId: 'trip-prop',
    userId: 'user-prop',
    destination: 'Seoul',
    startDate: shape.startDate,
    days: shape.days,
    ...shape.window,
    pace: shape.pace,
    interests: shape.interests,
    transport: shape.transport,
    ...(shape.budgetPerDay !== undefined ? { budgetPerDay: shape.budgetPerDay } : {}),
    ...(shape.lodging ? { lodging: shape.lodging } : {}),
    places,
  }));
