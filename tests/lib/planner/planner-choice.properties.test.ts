import fc from 'fast-check';
import { parseTripGenerationRequest } from '../../../src/lib/contracts/trip-generation-request';
import { PermanentError } from '../../../src/lib/errors/app-errors';
import { planTrip, selectAndAssign } from '../../../src/lib/planner';
import { placeScore, rankPlaces, visitCost } from '../../../src/lib/planner/scoring';
import type { Place, TripGenerationRequest } from '../../../src/lib/planner/types';
import { checkInvariants, parse } from './planner-fixtures';
import { validTripRequest } from './request-arbitrary';

/** Requests with at least one affordable place (otherwise selection fails at once as NoFeasiblePlan). */
const plannableRequest = validTripRequest.filter((raw) =>
  raw.places.some((p) => raw.budgetPerDay === undefined || visitCost(p as Place) <= raw.budgetPerDay),
);

/** The ranking the README documents: interest in the category 65 %, rating (out of 5) 35 %. */
const documentedScore = (interest: number, rating: number) => 0.65 * interest + 0.35 * (rating / 5);

describe('generated valid requests', () => {
  it('always parse, and always plan feasibly (or fail as NoFeasiblePlan exactly when nothing is affordable)', () => {
    fc.assert(
      fc.property(validTripRequest, (raw) => {
        const parsed = parseTripGenerationRequest(raw);
        if (!parsed.ok) throw new Error(`refused: ${JSON.stringify(parsed.issues)}`);
        const request = parsed.value;
        const affordable = request.places.some(
          (p) => request.budgetPerDay === undefined || visitCost(p) <= request.budgetPerDay,
        );
        if (!affordable) {
          expect(() => planTrip(request)).toThrow(PermanentError);
          return;
        }
        checkInvariants(request, planTrip(request));
      }),
      { numRuns: 60 },
    );
  });
});

describe('the planner’s choice of places', () => {
  it('scores interest at 65 % and rating at 35 %, as documented', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (interest, rating) => {
          const request = { interests: { museum: interest } } as unknown as TripGenerationRequest;
          const place = { category: 'museum', rating } as Place;
          expect(placeScore(place, request)).toBeCloseTo(documentedScore(interest, rating), 12);
        },
      ),
    );
  });

  it('prefers a place the traveller cares about to a better-rated one they care less about', () => {
    // Interest 1 and rating 0 scores 0.65; interest 0 and rating 5 scores 0.35: swapped weights flip it.
    const request = parse({
      jobId: 'job-w',
      tripId: 'trip-w',
      userId: 'u',
      destination: 'Seoul',
      startDate: '2026-12-01',
      days: 1,
      dayStart: '09:00',
      dayEnd: '10:30',
      pace: 'relaxed',
      interests: { museum: 1, market: 0 },
      transport: 'walk',
      places: [
        {
          id: 'loved',
          name: 'Loved',
          lat: 37.57,
          lng: 126.98,
          category: 'museum',
          visitMinutes: 50,
          priceLevel: 0,
          rating: 0,
        },
        {
          id: 'rated',
          name: 'Rated',
          lat: 37.57,
          lng: 126.98,
          category: 'market',
          visitMinutes: 50,
          priceLevel: 0,
          rating: 5,
        },
      ],
    });
    expect(rankPlaces(request.places, request).map((p) => p.id)).toEqual(['loved', 'rated']);
    const schedule = planTrip(request);
    expect(schedule.days[0]!.stops.map((s) => s.placeId)).toEqual(['loved']);
    expect(schedule.leftOut.map((l) => l.placeId)).toEqual(['rated']);
  });

  it('ranks every pair of places by the documented score', () => {
    fc.assert(
      fc.property(validTripRequest, (raw) => {
        const request = parse(raw);
        const ranked = rankPlaces(request.places, request);
        const score = (p: Place) => documentedScore(request.interests?.[p.category] ?? 0.1, p.rating);
        for (let i = 1; i < ranked.length; i++)
          expect(score(ranked[i - 1]!)).toBeGreaterThanOrEqual(score(ranked[i]!) - 1e-12);
      }),
      { numRuns: 100 },
    );
  });

  it('never leaves out a strictly better-scored affordable place while selecting a worse one', () => {
    fc.assert(
      fc.property(plannableRequest, (raw) => {
        const request = parse(raw);
        const { days, leftOut } = selectAndAssign(request);
        const chosen = new Set(days.flatMap((d) => d.placeIds));
        const byId = new Map(request.places.map((p) => [p.id, p]));
        const worstChosen = Math.min(...[...chosen].map((id) => placeScore(byId.get(id)!, request)));
        for (const out of leftOut.filter((l) => l.reason === 'not_selected_low_score'))
          expect(placeScore(byId.get(out.placeId)!, request)).toBeLessThanOrEqual(worstChosen + 1e-12);
      }),
      { numRuns: 100 },
    );
  });

  it('with a twin that differs only by a better score, never schedules the worse twin and drops the better', () => {
    fc.assert(
      fc.property(plannableRequest, fc.nat(), (raw, pick) => {
        const base = parse(raw);
        // Open every day: a place open on one weekday only competes for that day's slot (see README).
        const { openingHours: _hours, ...original } = base.places[pick % base.places.length]!;
        const twin = { ...original, id: 'twin', rating: Math.min(5, original.rating + 0.5) };
        fc.pre(placeScore(twin, base) > placeScore(original, base) + 1e-9);
        const others = base.places.filter((p) => p.id !== original.id);
        const request = parse({ ...raw, places: [...others, original, twin] });
        const visited = new Set(planTrip(request).days.flatMap((d) => d.stops.map((s) => s.placeId)));
        if (visited.has(original.id)) expect(visited.has('twin')).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
