import fs from 'node:fs';
import path from 'node:path';
import { categoryDiversity } from '../../../src/lib/analysis/category-diversity';
import {
  qualityContextFromRequest,
  qualityContextFromSchedule,
  tripQualityReport,
  type TripQualityContext,
} from '../../../src/lib/analysis/trip-quality';
import { parseTripGenerationRequest } from '../../../src/lib/contracts/trip-generation-request';
import { planTrip } from '../../../src/lib/planner';
import type { DayPlan, Place, PlannedStop, TripSchedule } from '../../../src/lib/planner/types';

function stop(
  placeId: string,
  category: string,
  arrival: string,
  departure: string,
  leg: [number, number],
  cost = 0,
): PlannedStop {
  return {
    placeId,
    name: placeId,
    category,
    lat: 37.5,
    lng: 127,
    arrival,
    departure,
    waitMinutes: 0,
    travelMinutesFromPrevious: leg[0],
    travelKmFromPrevious: leg[1],
    estimatedCost: cost,
  };
}

function day(
  dayIndex: number,
  weekday: string,
  stops: PlannedStop[],
  home?: [number, number, string],
): DayPlan {
  const travel = stops.reduce((s, x) => s + x.travelMinutesFromPrevious, 0) + (home?.[0] ?? 0);
  return {
    dayIndex,
    date: `2026-12-0${dayIndex + 1}`,
    weekday,
    stops,
    ...(home ? { returnToLodging: { travelMinutes: home[0], travelKm: home[1], arrival: home[2] } } : {}),
    totals: {
      stops: stops.length,
      visitMinutes: 0,
      travelMinutes: travel,
      travelKm: stops.reduce((s, x) => s + x.travelKmFromPrevious, 0) + (home?.[1] ?? 0),
      estimatedCost: stops.reduce((s, x) => s + x.estimatedCost, 0),
    },
    dropped: [],
  };
}

// Day 0 (Tuesday): leaves 08:40, back 17:20 = 520 min, travelling 20 + 10 + 30 + 20 = 80 min.
const schedule: TripSchedule = {
  tripId: 'trip-1',
  userId: 'u1',
  destination: 'Seoul',
  startDate: '2026-12-01',
  transport: 'transit',
  pace: 'moderate',
  days: [
    day(
      0,
      'tue',
      [
        stop('palace-a', 'palace', '09:00', '11:00', [20, 6.2], 10_000),
        stop('cafe', 'food', '11:10', '12:00', [10, 0.6], 10_000),
        stop('museum', 'museum', '12:30', '16:50', [30, 8.5], 25_000),
      ],
      [30, 9.1, '17:20'],
    ),
    day(1, 'wed', [stop('palace-b', 'palace', '15:00', '16:50', [15, 0.7], 10_000)]),
    day(2, 'thu', []),
  ],
  totals: { days: 3, stops: 4, visitMinutes: 0, travelMinutes: 0, travelKm: 0, estimatedCost: 0 },
  leftOut: [{ placeId: 'market', name: 'market', reason: 'closed_on_day', dayIndex: 1 }],
};

const places: Place[] = [
  {
    id: 'palace-a',
    name: 'a',
    lat: 37.5,
    lng: 127,
    category: 'palace',
    visitMinutes: 120,
    priceLevel: 1,
    rating: 4,
  },
  {
    id: 'museum',
    name: 'm',
    lat: 37.5,
    lng: 127,
    category: 'museum',
    visitMinutes: 240,
    openingHours: { tue: [['10:00', '17:00']] },
    priceLevel: 2,
    rating: 4,
  },
  {
    id: 'palace-b',
    name: 'b',
    lat: 37.5,
    lng: 127,
    category: 'palace',
    visitMinutes: 60,
    openingHours: {
      wed: [
        ['09:00', '12:00'],
        ['13:00', '17:00'],
      ],
    },
    priceLevel: 1,
    rating: 4,
  },
];
const context: TripQualityContext = {
  places,
  mustVisit: ['palace-a', 'market', 'ghost'],
  budgetPerDay: 40_000,
};

describe('trip quality report', () => {
  it('measures travel share, the longest leg, walking, budget and diversity per day and for the trip', () => {
    const report = tripQualityReport(schedule, context);
    expect(report.days[0]).toEqual({
      dayIndex: 0,
      date: '2026-12-01',
      stops: 3,
      activeMinutes: 520,
      travelMinutes: 90,
      travelShare: 0.1731,
      walkingKm: 0.6, // the 0.6 km hop is walked; transit for the rest
      estimatedCost: 45_000,
      budgetUse: { known: true, share: 1.125, budgetPerDay: 40_000 },
      distinctCategories: 3,
    });
    expect(report.days[1]).toMatchObject({ activeMinutes: 125, travelMinutes: 15, walkingKm: 0.7, stops: 1 });
    expect(report.days[2]).toMatchObject({ activeMinutes: 0, travelShare: 0, walkingKm: 0, stops: 0 });
    expect(report.travelShare).toBe(Math.round((105 / 645) * 10_000) / 10_000);
    expect(report.longestLeg).toEqual({ dayIndex: 0, from: 'museum', to: 'lodging', km: 9.1, minutes: 30 });
    expect(report.walkingKm).toBe(1.3);
    expect(report.categoryDiversity).toMatchObject({
      stops: 4,
      distinctCategories: 3,
      distinctShare: 0.75,
      counts: { palace: 2, food: 1, museum: 1 },
    });
  });

  it('flags stops near closing and must-visits without a place, with the planner reason', () => {
    const report = tripQualityReport(schedule, context);
    expect(report.stopsAtRisk).toEqual({
      known: true,
      stops: [
        // museum closes 17:00, the visit ends 16:50: a 15-minute delay cuts it short.
        {
          dayIndex: 0,
          placeId: 'museum',
          name: 'museum',
          arrival: '12:30',
          departure: '16:50',
          closing: '17:00',
          risk: 'ends_near_closing',
        },
        {
          dayIndex: 1,
          placeId: 'palace-b',
          name: 'palace-b',
          arrival: '15:00',
          departure: '16:50',
          closing: '17:00',
          risk: 'ends_near_closing',
        },
      ],
    });
    expect(report.unplacedMustVisits).toEqual({
      known: true,
      places: [
        { placeId: 'market', reason: 'closed_on_day' },
        { placeId: 'ghost', reason: 'not_in_schedule' },
      ],
    });
  });

  it('says what it cannot know from the schedule alone', () => {
    const report = tripQualityReport(schedule);
    expect(report.stopsAtRisk).toEqual({ known: false, reason: expect.stringMatching(/opening hours/) });
    expect(report.unplacedMustVisits).toEqual({ known: false, reason: expect.stringMatching(/must-visit/) });
    expect(report.days[0]!.budgetUse).toEqual({
      known: false,
      reason: 'the trip request set no budgetPerDay',
    });
  });

  it('flags an arrival within 15 minutes of closing', () => {
    const late = {
      ...schedule,
      days: [day(0, 'tue', [stop('museum', 'museum', '16:45', '16:55', [10, 2])])],
    };
    const report = tripQualityReport(late, { places });
    expect(report.stopsAtRisk).toMatchObject({
      known: true,
      stops: [{ placeId: 'museum', risk: 'arrives_near_closing' }],
    });
  });

  it('reads a real planned trip consistently', () => {
    const sample = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, '../../../samples/trip-request.json'), 'utf8'),
    ) as object;
    const parsed = parseTripGenerationRequest({ ...sample, jobId: 'j1' });
    if (!parsed.ok) throw new Error('sample is invalid');
    const planned = planTrip(parsed.value);
    const report = tripQualityReport(planned, qualityContextFromRequest(parsed.value));
    expect(report.days).toHaveLength(planned.days.length);
    for (const [i, d] of report.days.entries()) {
      expect(d.travelMinutes).toBe(planned.days[i]!.totals.travelMinutes);
      expect(d.travelShare).toBeGreaterThan(0);
      expect(d.travelShare).toBeLessThan(1);
      expect(d.walkingKm).toBeLessThanOrEqual(planned.days[i]!.totals.travelKm + 1e-9);
      expect(d.budgetUse).toMatchObject({ known: true, budgetPerDay: 150_000 });
    }
    const allLegs = planned.days.flatMap((d) => [
      ...d.stops.map((s) => s.travelMinutesFromPrevious),
      d.returnToLodging?.travelMinutes ?? 0,
    ]);
    expect(report.longestLeg!.minutes).toBe(Math.max(...allLegs));
    expect(report.unplacedMustVisits).toMatchObject({ known: true });
    expect(report.stopsAtRisk).toMatchObject({ known: true });
    expect(report.categoryDiversity.stops).toBe(planned.totals.stops);
  });

  it('judges a cached schedule from the constraints it keeps as it would from the request', () => {
    const sample = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, '../../../samples/trip-request.json'), 'utf8'),
    ) as { places: Array<{ id: string; openingHours?: object }> };
    // Hours on one place only (a short morning), so exactly the hours that shaped the plan are kept.
    const places: Array<{ id: string; openingHours?: object }> = sample.places.map((p) => ({
      ...p,
      openingHours: undefined,
    }));
    places[0] = { ...places[0]!, openingHours: { tue: [['09:00', '12:30']], wed: [['09:00', '12:30']] } };
    const parsed = parseTripGenerationRequest({ ...sample, places, jobId: 'j2' });
    if (!parsed.ok) throw new Error('sample is invalid');
    const planned = planTrip(parsed.value);
    // What the trip service caches and the analysis reads back: plain JSON.
    const cached = JSON.parse(JSON.stringify(planned)) as TripSchedule;
    expect(cached.constraints).toEqual({
      budgetPerDay: 150_000,
      mustVisit: ['gyeongbokgung', 'gwangjang-market'],
      // gyeongbokgung, a must-visit, is visited within its hours; the places without hours are not listed.
      openingHours: { [places[0]!.id]: places[0]!.openingHours },
    });
    expect(tripQualityReport(cached, qualityContextFromSchedule(cached))).toEqual(
      tripQualityReport(planned, qualityContextFromRequest(parsed.value)),
    );
  });

  it('judges a schedule cached before constraints were kept as not knowing them', () => {
    const { constraints: _none, ...old } = planTrip(parseSample());
    const report = tripQualityReport(old, qualityContextFromSchedule(old));
    // The sample set a budget and must-visits: the answers name the real cause, not "none was set".
    const why = { known: false, reason: 'the schedule was cached before it kept its constraints' };
    expect(report.stopsAtRisk).toEqual(why);
    expect(report.unplacedMustVisits).toEqual(why);
    expect(report.days[0]!.budgetUse).toEqual(why);
  });
});

function parseSample() {
  const sample = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '../../../samples/trip-request.json'), 'utf8'),
  ) as object;
  const parsed = parseTripGenerationRequest({ ...sample, jobId: 'j3' });
  if (!parsed.ok) throw new Error('sample is invalid');
  return parsed.value;
}

describe('category diversity', () => {
  it('counts distinct categories and their balance', () => {
    expect(categoryDiversity([])).toEqual({
      stops: 0,
      distinctCategories: 0,
      distinctShare: 0,
      shannon: 0,
      evenness: 0,
      counts: {},
    });
    expect(categoryDiversity(['a', 'a'])).toMatchObject({ distinctShare: 0.5, shannon: 0, evenness: 0 });
    expect(categoryDiversity(['a', 'b', 'a', 'b'])).toMatchObject({ shannon: 0.6931, evenness: 1 });
    const skewed = categoryDiversity(['a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'b']);
    expect(skewed.distinctCategories).toBe(2);
    expect(skewed.evenness).toBeCloseTo(0.469, 3);
  });
});
