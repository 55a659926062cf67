import { clusterIntoDays } from '../../../src/lib/planner/day-clusters';
import { selectAndAssign, stopsPerDay } from '../../../src/lib/planner/select-and-assign';
import type { Place } from '../../../src/lib/planner/types';
import { generatedRequest, seededRandom } from './planner-fixtures';

const centre = { lat: 37.5665, lng: 126.978 };

/** `perCluster` places scattered within ~500 m of each of the given district centres. */
function districts(centres: Array<{ lat: number; lng: number }>, perCluster: number, seed: number): Place[] {
  const random = seededRandom(seed);
  return centres.flatMap((c, k) =>
    Array.from({ length: perCluster }, (_, i) => ({
      id: `d${k}-${i}`,
      name: `District ${k} place ${i}`,
      lat: c.lat + (random() - 0.5) * 0.009,
      lng: c.lng + (random() - 0.5) * 0.011,
      category: 'museum',
      visitMinutes: 60,
      priceLevel: 0,
      rating: 4,
    })),
  );
}

describe('clusterIntoDays', () => {
  // Jongno, Gangnam, Hongdae, Jamsil: districts 5-15 km apart.
  const centres = [
    { lat: 37.5735, lng: 126.9788 },
    { lat: 37.4979, lng: 127.0276 },
    { lat: 37.5563, lng: 126.922 },
    { lat: 37.5133, lng: 127.1001 },
  ];

  it.each([1, 2, 3])('seed %i: one day per district when the days match the districts', (seed) => {
    const places = districts(centres, 6, seed);
    const random = seededRandom(seed + 99);
    const shuffled = places
      .map((p) => ({ p, key: random() }))
      .sort((a, b) => a.key - b.key)
      .map(({ p }) => p);
    const groups = clusterIntoDays(shuffled, 4, centre);
    const districtsPerGroup = groups.map((g) => new Set(g.map((p) => p.id.split('-')[0])));
    expect(districtsPerGroup.map((d) => d.size)).toEqual([1, 1, 1, 1]);
    expect(groups.map((g) => g.length)).toEqual([6, 6, 6, 6]);
  });

  it('keeps group sizes within one of each other, and is blind to input order', () => {
    const places = generatedRequest(5, 37, 5).places;
    const groups = clusterIntoDays(places, 5, centre);
    const sizes = groups.map((g) => g.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(
      groups
        .flat()
        .map((p) => p.id)
        .sort(),
    ).toEqual(places.map((p) => p.id).sort());
    const ids = (gs: Place[][]) => gs.map((g) => g.map((p) => p.id).sort());
    expect(ids(clusterIntoDays([...places].reverse(), 5, centre))).toEqual(ids(groups));
  });
});

describe('day capacity', () => {
  it('follows the pace, and shrinks with a short day window', () => {
    const request = generatedRequest(3, 60, 2, { pace: 'packed' });
    expect(stopsPerDay(request, request.places)).toBe(8);
    const short = generatedRequest(3, 60, 2, { pace: 'packed', dayStart: '10:00', dayEnd: '13:00' });
    const capacity = stopsPerDay(short, short.places);
    expect(capacity).toBeLessThan(4);
    const { days, leftOut } = selectAndAssign(short);
    // Spares included, a day gets no more candidates than half again its capacity.
    for (const day of days) expect(day.placeIds.length).toBeLessThanOrEqual(Math.ceil(capacity * 1.5));
    expect(leftOut.filter((l) => l.reason === 'not_selected_low_score').length).toBeGreaterThan(40);
  });
});
