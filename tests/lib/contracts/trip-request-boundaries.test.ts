import { parseTripGenerationRequest } from '../../../src/lib/contracts/trip-generation-request';

/**
 * Every bounded field of the trip request at its bound, one past it, and just inside: the contract
 * tests elsewhere use values far out of range, which a bound moved by one would still refuse.
 */
const place = (overrides: Record<string, unknown> = {}) => ({
  id: 'p1',
  name: 'Palace',
  lat: 37.57,
  lng: 126.97,
  category: 'palace',
  visitMinutes: 60,
  priceLevel: 1,
  rating: 4,
  ...overrides,
});

const base = (overrides: Record<string, unknown> = {}) => ({
  jobId: 'job-1',
  tripId: 'trip-1',
  userId: 'user-1',
  destination: 'Seoul',
  startDate: '2026-12-01',
  days: 3,
  dayStart: '09:00',
  dayEnd: '21:00',
  pace: 'moderate',
  interests: { palace: 0.5 },
  transport: 'transit',
  places: [place()],
  ...overrides,
});

const id = (length: number) => 'a'.repeat(length);
const places = (count: number) => Array.from({ length: count }, (_, i) => place({ id: `p${i}` }));
const withPlace = (overrides: Record<string, unknown>) => ({ places: [place(overrides)] });
const hours = (intervals: unknown) => withPlace({ openingHours: { mon: intervals } });

/** [the field as reported, the request's changes, accepted?] */
const CASES: Array<[string, Record<string, unknown>, boolean]> = [
  ['days', { days: 0 }, false],
  ['days', { days: 1 }, true],
  ['days', { days: 14 }, true],
  ['days', { days: 15 }, false],
  ['days', { days: 1.5 }, false],
  ['dayEnd', { dayStart: '10:00', dayEnd: '10:00' }, false],
  ['dayEnd', { dayStart: '10:00', dayEnd: '09:59' }, false],
  ['dayEnd', { dayStart: '10:00', dayEnd: '10:01' }, true],
  ['dayEnd', { dayStart: '00:00', dayEnd: '23:59' }, true],
  ['dayEnd', { dayEnd: '24:00' }, false],
  ['dayStart', { dayStart: '24:00' }, false],
  ['dayStart', { dayStart: '9:00' }, false],
  ['destination', { destination: '' }, false],
  ['destination', { destination: '   ' }, false],
  ['destination', { destination: 'x' }, true],
  ['destination', { destination: id(200) }, true],
  ['destination', { destination: id(201) }, false],
  ['startDate', { startDate: '2026-02-29' }, false],
  ['startDate', { startDate: '2028-02-29' }, true],
  ['startDate', { startDate: '2026-12-31' }, true],
  ['startDate', { startDate: '2026-12-32' }, false],
  ['interests.palace', { interests: { palace: 0 } }, true],
  ['interests.palace', { interests: { palace: 1 } }, true],
  ['interests.palace', { interests: { palace: 1.0001 } }, false],
  ['interests.palace', { interests: { palace: -0.0001 } }, false],
  ['interests', { interests: { [id(64)]: 0.5 } }, true],
  ['interests', { interests: { [id(65)]: 0.5 } }, false],
  ['budgetPerDay', { budgetPerDay: 0 }, false],
  ['budgetPerDay', { budgetPerDay: 0.01 }, true],
  ['budgetPerDay', { budgetPerDay: -1 }, false],
  ['tripId', { tripId: id(128) }, true],
  ['tripId', { tripId: id(129) }, false],
  ['tripId', { tripId: '' }, false],
  ['jobId', { jobId: id(128) }, true],
  ['jobId', { jobId: id(129) }, false],
  ['schemaVersion', { schemaVersion: 1 }, true],
  ['schemaVersion', { schemaVersion: 0 }, false],
  ['schemaVersion', { schemaVersion: 2 }, false],
  ['places', { places: [] }, false],
  ['places', { places: places(1) }, true],
  ['places', { places: places(500) }, true],
  ['places', { places: places(501) }, false],
  ['mustVisit', { places: places(50), mustVisit: places(50).map((p) => p.id) }, true],
  ['mustVisit', { places: places(51), mustVisit: places(51).map((p) => p.id) }, false],
  ['places[0].lat', withPlace({ lat: 90 }), true],
  ['places[0].lat', withPlace({ lat: -90 }), true],
  ['places[0].lat', withPlace({ lat: 90.0001 }), false],
  ['places[0].lat', withPlace({ lat: -90.0001 }), false],
  ['places[0].lng', withPlace({ lng: 180 }), true],
  ['places[0].lng', withPlace({ lng: -180 }), true],
  ['places[0].lng', withPlace({ lng: 180.0001 }), false],
  ['places[0].lng', withPlace({ lng: -180.0001 }), false],
  ['places[0].visitMinutes', withPlace({ visitMinutes: 4 }), false],
  ['places[0].visitMinutes', withPlace({ visitMinutes: 5 }), true],
  ['places[0].visitMinutes', withPlace({ visitMinutes: 720 }), true],
  ['places[0].visitMinutes', withPlace({ visitMinutes: 721 }), false],
  ['places[0].visitMinutes', withPlace({ visitMinutes: 30.5 }), false],
  ['places[0].priceLevel', withPlace({ priceLevel: -1 }), false],
  ['places[0].priceLevel', withPlace({ priceLevel: 0 }), true],
  ['places[0].priceLevel', withPlace({ priceLevel: 4 }), true],
  ['places[0].priceLevel', withPlace({ priceLevel: 5 }), false],
  ['places[0].rating', withPlace({ rating: 0 }), true],
  ['places[0].rating', withPlace({ rating: 5 }), true],
  ['places[0].rating', withPlace({ rating: 5.0001 }), false],
  ['places[0].rating', withPlace({ rating: -0.0001 }), false],
  ['places[0].name', withPlace({ name: id(200) }), true],
  ['places[0].name', withPlace({ name: id(201) }), false],
  ['places[0].category', withPlace({ category: id(64) }), true],
  ['places[0].category', withPlace({ category: id(65) }), false],
  ['places[0].id', withPlace({ id: id(129) }), false],
  ['places[0].openingHours.mon[0]', hours([['10:00', '10:00']]), false],
  ['places[0].openingHours.mon[0]', hours([['10:00', '10:01']]), true],
  ['places[0].openingHours.mon[0]', hours([['10:01', '10:00']]), false],
  ['places[0].openingHours.mon[0]', hours([['23:59', '24:00']]), true],
  ['places[0].openingHours.mon[0][1]', hours([['10:00', '24:01']]), false],
  ['places[0].openingHours.mon[0]', hours([['24:00', '24:00']]), false],
  ['places[0].openingHours.mon', hours(Array.from({ length: 4 }, (_, i) => [`1${i}:00`, `1${i}:30`])), true],
  ['places[0].openingHours.mon', hours(Array.from({ length: 5 }, (_, i) => [`1${i}:00`, `1${i}:30`])), false],
];

describe('trip request: every bound at, past and just inside it', () => {
  it.each(CASES)('%s with %j → accepted: %s', (field, changes, accepted) => {
    const result = parseTripGenerationRequest(base(changes));
    if (accepted) {
      expect(result).toMatchObject({ ok: true });
    } else {
      expect(result.ok).toBe(false);
      // Refused for this field (or a part of it), and for nothing else.
      if (!result.ok) for (const issue of result.issues) expect(issue.path.startsWith(field)).toBe(true);
    }
  });

  it('starts from a request that is valid as it is', () => {
    expect(parseTripGenerationRequest(base())).toMatchObject({ ok: true });
  });
});
