/**
 * The planner's building blocks at exact values worked out by hand: distances and legs per mode,
 * clock arithmetic, spend per price level, and one day walked stop by stop. The property suites check
 * feasibility and choice; these pin the numbers a schedule shows.
 */
import { openIntervals, toHhmm, toMinutes, tripDay } from '../../../src/lib/planner/clock-time';
import { centroid, haversineKm, round2, travelLeg, WALKED_HOP_KM } from '../../../src/lib/planner/geo';
import { PACE, PRICE_LEVEL_COST, visitCost } from '../../../src/lib/planner/scoring';
import { timeDay } from '../../../src/lib/planner/time-day';
import type { Place } from '../../../src/lib/planner/types';
import { sampleRequest } from './planner-fixtures';

const lodging = { lat: 37.5, lng: 127 };
const east = (degrees: number) => ({ lat: 37.5, lng: 127 + degrees });

function place(id: string, at: { lat: number; lng: number }, extra: Partial<Place> = {}): Place {
  return {
    id,
    name: `Place ${id}`,
    category: 'museum',
    visitMinutes: 60,
    priceLevel: 0,
    rating: 4,
    ...at,
    ...extra,
  };
}

describe('geo', () => {
  it('great-circle distance on the mean Earth radius', () => {
    expect(haversineKm({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(111.195, 3);
    expect(haversineKm({ lat: 0, lng: 0 }, { lat: 0, lng: 90 })).toBeCloseTo(10007.557, 2);
    expect(haversineKm({ lat: 10, lng: 20 }, { lat: 10, lng: 20 })).toBe(0);
    expect(haversineKm(lodging, east(0.01))).toBeCloseTo(haversineKm(east(0.01), lodging), 12);
  });

  it('a leg is 1.3 x the straight line, at the mode speed plus its overhead, rounded up to a minute', () => {
    // 0.01 degrees east at 37.5 N: 0.882 km straight, 1.147 km by street.
    expect(travelLeg(lodging, east(0.01), 'walk')).toEqual({ km: 1.15, minutes: 16, cost: 0 });
    expect(travelLeg(lodging, east(0.01), 'transit')).toEqual({ km: 1.15, minutes: 12, cost: 1500 });
    expect(travelLeg(lodging, east(0.01), 'car')).toEqual({ km: 1.15, minutes: 8, cost: 0 });
    expect(travelLeg(lodging, east(0.05), 'walk')).toEqual({ km: 5.73, minutes: 77, cost: 0 });
    expect(travelLeg(lodging, east(0.05), 'transit')).toEqual({ km: 5.73, minutes: 24, cost: 1500 });
    expect(travelLeg(lodging, east(0.05), 'car')).toEqual({ km: 5.73, minutes: 19, cost: 0 });
  });

  it('a hop under 0.8 km is walked whatever the mode; under 50 m it is no leg at all', () => {
    expect(WALKED_HOP_KM).toBe(0.8);
    // 0.005 degrees: 0.573 km by street.
    expect(travelLeg(lodging, east(0.005), 'transit')).toEqual({ km: 0.57, minutes: 8, cost: 0 });
    expect(travelLeg(lodging, east(0.005), 'car')).toEqual({ km: 0.57, minutes: 8, cost: 0 });
    // 0.0003 degrees: 34 m by street.
    expect(travelLeg(lodging, east(0.0003), 'walk')).toEqual({ km: 0, minutes: 0, cost: 0 });
    expect(travelLeg(lodging, east(0.0003), 'transit')).toEqual({ km: 0, minutes: 0, cost: 0 });
  });

  it('round2 and centroid', () => {
    expect(round2(2.346)).toBe(2.35);
    expect(round2(2.344)).toBe(2.34);
    expect(centroid([])).toEqual({ lat: 0, lng: 0 });
    expect(centroid([{ lat: 1, lng: 10 }])).toEqual({ lat: 1, lng: 10 });
    expect(
      centroid([
        { lat: 1, lng: 10 },
        { lat: 3, lng: 20 },
      ]),
    ).toEqual({ lat: 2, lng: 15 });
  });
});

describe('clock and calendar', () => {
  it('HH:MM to minutes and back', () => {
    expect(toMinutes('00:00')).toBe(0);
    expect(toMinutes('09:30')).toBe(570);
    expect(toMinutes('24:00')).toBe(1440);
    expect(toHhmm(0)).toBe('00:00');
    expect(toHhmm(605)).toBe('10:05');
    expect(toHhmm(1439)).toBe('23:59');
  });

  it('trip days run over month and year ends with their weekdays', () => {
    expect(tripDay('2026-12-31', 0)).toEqual({ date: '2026-12-31', weekday: 'thu' });
    expect(tripDay('2026-12-31', 1)).toEqual({ date: '2027-01-01', weekday: 'fri' });
    expect(tripDay('2024-02-28', 1)).toEqual({ date: '2024-02-29', weekday: 'thu' });
    expect(tripDay('2026-12-27', 6)).toEqual({ date: '2027-01-02', weekday: 'sat' });
  });

  it('no hours: open all day; a weekday left out: closed; intervals in minutes', () => {
    expect(openIntervals(undefined, 'mon')).toEqual([[0, 1440]]);
    const hours = { mon: [['09:00', '12:00'] as [string, string], ['13:00', '24:00'] as [string, string]] };
    expect(openIntervals(hours, 'mon')).toEqual([
      [540, 720],
      [780, 1440],
    ]);
    expect(openIntervals(hours, 'tue')).toEqual([]);
    // Asked again (cached per hours object and weekday), the same answer.
    expect(openIntervals(hours, 'mon')).toEqual([
      [540, 720],
      [780, 1440],
    ]);
    expect(openIntervals(hours, 'tue')).toEqual([]);
  });
});

describe('spend and pace', () => {
  it('spend per visit by price level (KRW)', () => {
    expect(PRICE_LEVEL_COST).toEqual([0, 10_000, 25_000, 50_000, 100_000]);
    expect([0, 1, 2, 3, 4].map((priceLevel) => visitCost(place('p', lodging, { priceLevel })))).toEqual([
      0, 10_000, 25_000, 50_000, 100_000,
    ]);
  });

  it('stops and window share per pace', () => {
    expect(PACE).toEqual({
      relaxed: { maxStops: 4, windowShare: 0.7 },
      moderate: { maxStops: 6, windowShare: 0.85 },
      packed: { maxStops: 8, windowShare: 1 },
    });
  });
});

describe('timeDay: one day walked stop by stop', () => {
  const request = sampleRequest({
    transport: 'transit',
    lodging,
    dayStart: '09:00',
    dayEnd: '21:00',
    pace: 'moderate',
    budgetPerDay: undefined,
    mustVisit: [],
  });
  const a = place('a', east(0.01), { priceLevel: 1, visitMinutes: 60 });
  const b = place('b', east(0.06), {
    priceLevel: 2,
    visitMinutes: 90,
    openingHours: { mon: [['11:00', '18:00']] },
  });
  const closed = place('c', east(0.02), { openingHours: { tue: [['09:00', '18:00']] } });
  const meta = { dayIndex: 2, date: '2027-12-06', weekday: 'mon' };

  it('travels, waits for opening, visits, returns to the lodging; the totals add up', () => {
    const plan = timeDay(request, meta, [a, closed, b]);
    expect(plan.stops).toEqual([
      {
        placeId: 'a',
        name: 'Place a',
        category: 'museum',
        lat: 37.5,
        lng: 127.01,
        arrival: '09:12',
        departure: '10:12',
        waitMinutes: 0,
        travelMinutesFromPrevious: 12,
        travelKmFromPrevious: 1.15,
        estimatedCost: 11_500,
      },
      {
        placeId: 'b',
        name: 'Place b',
        category: 'museum',
        lat: 37.5,
        lng: 127.06,
        arrival: '10:36',
        departure: '12:30',
        waitMinutes: 24,
        travelMinutesFromPrevious: 24,
        travelKmFromPrevious: 5.73,
        estimatedCost: 26_500,
      },
    ]);
    expect(plan.dropped).toEqual([{ placeId: 'c', name: 'Place c', reason: 'closed_on_day', dayIndex: 2 }]);
    expect(plan.returnToLodging).toEqual({ travelMinutes: 27, travelKm: 6.88, arrival: '12:57' });
    expect(plan.totals).toEqual({
      stops: 2,
      visitMinutes: 150,
      travelMinutes: 12 + 24 + 27,
      travelKm: 13.76,
      estimatedCost: 11_500 + 26_500 + 1_500,
    });
    expect(plan).toMatchObject(meta);
  });

  it('without a lodging: the first stop has no leg and there is no way home', () => {
    const plan = timeDay({ ...request, lodging: undefined }, meta, [a]);
    expect(plan.stops[0]).toMatchObject({
      arrival: '09:00',
      departure: '10:00',
      travelMinutesFromPrevious: 0,
    });
    expect(plan.returnToLodging).toBeUndefined();
    expect(plan.totals).toEqual({
      stops: 1,
      visitMinutes: 60,
      travelMinutes: 0,
      travelKm: 0,
      estimatedCost: 10_000,
    });
  });

  it('a visit that would end after the day (counting the way home) or past the pace share is dropped', () => {
    // Ends 20:33 + 27 min home = 21:00: just fits; one minute longer does not.
    const late = (visitMinutes: number) =>
      place('late', east(0.06), { visitMinutes, openingHours: { mon: [['19:00', '24:00']] } });
    expect(timeDay({ ...request, pace: 'packed' }, meta, [late(93)]).dropped).toEqual([]);
    expect(timeDay({ ...request, pace: 'packed' }, meta, [late(94)]).dropped).toEqual([
      { placeId: 'late', name: 'Place late', reason: 'does_not_fit_day_window', dayIndex: 2 },
    ]);
    // Moderate: travel plus visits may fill 85 % of 720 minutes = 612.
    const long = (visitMinutes: number) => place('long', east(0.01), { visitMinutes });
    expect(timeDay(request, meta, [long(600)]).stops).toHaveLength(1);
    expect(timeDay(request, meta, [long(601)]).dropped).toHaveLength(1);
  });

  it('an empty day is all zeros', () => {
    const plan = timeDay(request, meta, []);
    expect(plan.stops).toEqual([]);
    expect(plan.returnToLodging).toBeUndefined();
    expect(plan.totals).toEqual({
      stops: 0,
      visitMinutes: 0,
      travelMinutes: 0,
      travelKm: 0,
      estimatedCost: 0,
    });
  });
});
