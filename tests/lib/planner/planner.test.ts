import { earliestVisitStart, openIntervals, toMinutes } from '../../../src/lib/planner/clock-time';
import { planTrip } from '../../../src/lib/planner';
import { generatedRequest, parse, sampleRequest } from './planner-fixtures';

describe('planTrip on the Seoul sample', () => {
  const request = sampleRequest();
  const schedule = planTrip(request);
  const byId = new Map(request.places.map((p) => [p.id, p]));

  it('plans every day with stops, never using a place twice', () => {
    expect(schedule.days).toHaveLength(3);
    const ids = schedule.days.flatMap((d) => d.stops.map((s) => s.placeId));
    expect(ids.length).toBeGreaterThanOrEqual(12);
    expect(new Set(ids).size).toBe(ids.length);
    for (const day of schedule.days) expect(day.stops.length).toBeGreaterThan(0);
  });

  it('makes a sensible city itinerary: full days, short hops, nothing on a day it is closed', () => {
    for (const day of schedule.days) {
      expect(day.stops.length).toBeGreaterThanOrEqual(4);
      // Seoul's sights lie within ~20 km of the centre: a day of 4-6 stops stays well under 50 km.
      expect(day.totals.travelKm).toBeLessThan(50);
      expect(day.totals.visitMinutes).toBeGreaterThan(day.totals.travelMinutes);
    }
    // The trip starts on a Tuesday: Gyeongbokgung and Jongmyo are closed then, as they really are.
    const tuesday = schedule.days.find((d) => d.weekday === 'tue')!;
    expect(tuesday.stops.map((s) => s.placeId)).not.toEqual(expect.arrayContaining(['gyeongbokgung']));
    expect(tuesday.stops.map((s) => s.placeId)).not.toEqual(expect.arrayContaining(['jongmyo']));
  });

  it('places every must-visit', () => {
    const ids = schedule.days.flatMap((d) => d.stops.map((s) => s.placeId));
    expect(ids).toEqual(expect.arrayContaining(request.mustVisit!));
  });

  it('visits each place while it is open, inside the day window, leaving and returning to the lodging', () => {
    for (const day of schedule.days) {
      for (const stop of day.stops) {
        const place = byId.get(stop.placeId)!;
        const start = toMinutes(stop.arrival) + stop.waitMinutes;
        const fits = openIntervals(place.openingHours, day.weekday).some(
          ([open, close]) => start >= open && toMinutes(stop.departure) <= close,
        );
        expect(fits).toBe(true);
        expect(toMinutes(stop.departure) - start).toBe(place.visitMinutes);
        expect(toMinutes(stop.arrival)).toBeGreaterThanOrEqual(toMinutes(request.dayStart));
      }
      expect(day.returnToLodging).toBeDefined();
      expect(toMinutes(day.returnToLodging!.arrival)).toBeLessThanOrEqual(toMinutes(request.dayEnd));
    }
    // Gyeongbokgung is closed on Tuesdays: the trip starts on a Tuesday, so it must land on another day.
    const gyeongbokgungDay = schedule.days.find((d) => d.stops.some((s) => s.placeId === 'gyeongbokgung'));
    expect(gyeongbokgungDay?.weekday).not.toBe('tue');
  });

  it('keeps each day within the budget and accounts for every place exactly once', () => {
    for (const day of schedule.days)
      expect(day.totals.estimatedCost).toBeLessThanOrEqual(request.budgetPerDay!);
    const visited = schedule.days.flatMap((d) => d.stops.map((s) => s.placeId));
    const leftOut = schedule.leftOut.map((l) => l.placeId);
    expect([...visited, ...leftOut].sort()).toEqual(request.places.map((p) => p.id).sort());
  });

  it('is deterministic, whatever the order of the places in the request', () => {
    const shuffled = { ...request, places: [...request.places].reverse() };
    expect(planTrip(shuffled)).toEqual(schedule);
    expect(planTrip(request)).toEqual(schedule);
  });
});

describe('left-out reasons', () => {
  it('reports over_budget, closed_on_day and not_selected_low_score', () => {
    const request = generatedRequest(7, 40, 1, { pace: 'relaxed', budgetPerDay: 12_000 });
    const closedPlace = {
      ...request.places[0]!,
      id: 'monday-only',
      openingHours: { mon: [['09:00', '18:00']] },
    };
    const withClosed = parse({
      ...request,
      mustVisit: ['monday-only'],
      places: [...request.places, closedPlace],
    });
    const schedule = planTrip(withClosed);
    const reasons = new Map(schedule.leftOut.map((l) => [l.placeId, l.reason]));
    expect(reasons.get('monday-only')).toBe('closed_on_day');
    expect([...reasons.values()]).toEqual(expect.arrayContaining(['over_budget', 'not_selected_low_score']));
    expect(schedule.days[0]!.totals.estimatedCost).toBeLessThanOrEqual(12_000);
  });

  it('reports does_not_fit_day_window, and over_budget for a place only the day total makes too dear', () => {
    const at = (id: string, extra: object) => ({
      id,
      name: id,
      lat: 37.57,
      lng: 126.98,
      category: 'museum',
      visitMinutes: 60,
      priceLevel: 2,
      rating: 4,
      ...extra,
    });
    const request = parse({
      jobId: 'j',
      tripId: 't',
      userId: 'u',
      destination: 'Seoul',
      startDate: '2026-12-01',
      days: 1,
      dayStart: '09:00',
      dayEnd: '13:00',
      pace: 'packed',
      interests: { museum: 1 },
      transport: 'walk',
      // 25,000 a visit at price level 2: two fit in 60,000, the third does not.
      budgetPerDay: 60_000,
      places: [
        at('a', { rating: 5 }),
        at('b', { rating: 4.9 }),
        at('c', { rating: 4.8 }),
        at('long', { visitMinutes: 300, priceLevel: 0 }),
        at('evening', { priceLevel: 0, openingHours: { tue: [['18:00', '22:00']] } }),
      ],
    });
    const reasons = Object.fromEntries(planTrip(request).leftOut.map((l) => [l.placeId, l.reason]));
    expect(reasons).toEqual({
      c: 'over_budget',
      long: 'does_not_fit_day_window',
      evening: 'does_not_fit_day_window',
    });
  });

  it('finds the earliest start within opening intervals', () => {
    expect(
      earliestVisitStart(
        [
          [600, 720],
          [780, 900],
        ],
        650,
        90,
      ),
    ).toBe(780);
    expect(earliestVisitStart([[600, 720]], 700, 90)).toBeUndefined();
  });
});
