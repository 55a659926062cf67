import { assembleSchedule, optimiseDayRoute, planDay } from '../../../src/lib/planner';
import type { DayAssignment, TripSchedule } from '../../../src/lib/planner/types';
import { parse } from './planner-fixtures';

/**
 * Days are planned apart, so a day cannot know another has room. These cases hand the days crafted
 * assignments (Tuesday and Wednesday, relaxed pace: 4 stops a day) and check what assembly does with
 * what they dropped.
 */
const near = (i: number) => ({ lat: 37.57 + i * 0.002, lng: 126.98 + i * 0.002 });
const place = (id: string, i: number, rating: number, openingHours?: object) => ({
  id,
  name: id.toUpperCase(),
  ...near(i),
  category: 'museum',
  visitMinutes: 60,
  priceLevel: 0,
  rating,
  ...(openingHours ? { openingHours } : {}),
});
const wednesdayOnly = { wed: [['09:00', '18:00']] };

function request(overrides: Record<string, unknown> = {}) {
  return parse({
    jobId: 'j',
    tripId: 't',
    userId: 'u',
    destination: 'Seoul',
    startDate: '2026-12-01', // a Tuesday
    days: 2,
    pace: 'relaxed',
    interests: { museum: 1 },
    transport: 'walk',
    lodging: near(0),
    places: [
      place('a', 1, 4.5),
      place('b', 2, 4.9),
      place('c', 3, 4.8),
      place('d', 4, 4.7),
      place('e', 5, 3.0),
      place('m', 6, 4.0, wednesdayOnly),
      place('x', 7, 4.6, wednesdayOnly),
    ],
    ...overrides,
  });
}

function plan(req: ReturnType<typeof request>, tuesday: string[], wednesday: string[]): TripSchedule {
  const days: DayAssignment[] = [
    { dayIndex: 0, date: '2026-12-01', weekday: 'tue', placeIds: tuesday },
    { dayIndex: 1, date: '2026-12-02', weekday: 'wed', placeIds: wednesday },
  ];
  const plans = days.map((d) => optimiseDayRoute(req, planDay(req, d)));
  expect(plans[0]!.dropped.map((d) => d.placeId)).toContain(tuesday.find((id) => id === 'm' || id === 'x'));
  return assembleSchedule(req, plans, []);
}

const stopsOf = (schedule: TripSchedule, day: number) => schedule.days[day]!.stops.map((s) => s.placeId);

describe('assembly gives what one day dropped a chance on another', () => {
  it('a must-visit closed on its day takes the place of the lowest-scored stop on a full day it is open', () => {
    const schedule = plan(request({ mustVisit: ['m'] }), ['m', 'a'], ['b', 'c', 'd', 'e']);
    expect(stopsOf(schedule, 1)).toContain('m');
    expect(stopsOf(schedule, 1)).not.toContain('e');
    expect(stopsOf(schedule, 1)).toHaveLength(4);
    // The displaced stop still fits Tuesday, which had room.
    expect(stopsOf(schedule, 0).sort()).toEqual(['a', 'e']);
    expect(schedule.leftOut).toEqual([]);
  });

  it('an ordinary candidate closed on its day fills room on a day it is open', () => {
    const roomy = plan(request(), ['x', 'a'], ['b', 'c']);
    expect(stopsOf(roomy, 1)).toContain('x');
    expect(roomy.leftOut).toEqual([]);
  });

  it('an ordinary candidate takes a full day’s place from a strictly lower-scored stop, never an equal or better one', () => {
    // x (4.6) outranks e (3.0): e gives way on Wednesday and still fits Tuesday, which has room.
    const full = plan(request(), ['x', 'a'], ['b', 'c', 'd', 'e']);
    expect(stopsOf(full, 1).sort()).toEqual(['b', 'c', 'd', 'x']);
    expect(stopsOf(full, 0).sort()).toEqual(['a', 'e']);
    expect(full.leftOut).toEqual([]);

    const places = request().places.map((p) => (p.id === 'e' ? { ...p, rating: 4.6 } : p));
    const tied = plan(request({ places }), ['x', 'a'], ['b', 'c', 'd', 'e']);
    expect(stopsOf(tied, 1).sort()).toEqual(['b', 'c', 'd', 'e']);
    expect(tied.leftOut).toEqual([{ placeId: 'x', name: 'X', reason: 'closed_on_day', dayIndex: 0 }]);
  });

  it('a must-visit no day can hold stays left out with its reason', () => {
    const req = request({
      mustVisit: ['m'],
      places: request().places.map((p) =>
        p.id === 'm' ? { ...p, openingHours: { sun: [['09:00', '18:00']] } } : p,
      ),
    });
    const schedule = plan(req, ['m', 'a'], ['b', 'c', 'd', 'e']);
    expect(schedule.leftOut).toEqual([{ placeId: 'm', name: 'M', reason: 'closed_on_day', dayIndex: 0 }]);
    expect(stopsOf(schedule, 1).sort()).toEqual(['b', 'c', 'd', 'e']);
  });
});
