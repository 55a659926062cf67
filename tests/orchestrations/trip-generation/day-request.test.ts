import fs from 'node:fs';
import path from 'node:path';
import { parseTripGenerationRequest } from '../../../src/lib/contracts/trip-generation-request';
import { tripPlanner } from '../../../src/orchestrations/trip-generation/planner-adapter';
import { dayPlaceIds, dayRequest } from '../../../src/orchestrations/trip-generation/day-request';
import type { TripRequestRef } from '../../../src/orchestrations/trip-generation/contracts';

const raw = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../samples/trip-request.json'), 'utf8'),
) as Record<string, unknown>;

describe('dayRequest: a day activity gets only its own places', () => {
  const parsed = parseTripGenerationRequest({ ...raw, jobId: 'day-request' });
  if (!parsed.ok) throw new Error('the sample must parse');
  const request = parsed.value as unknown as TripRequestRef;
  const { days } = tripPlanner.selectAndAssign(request) as { days: unknown[] };

  it('plans and optimises every day exactly as with the whole place list', () => {
    expect(days.length).toBeGreaterThan(1);
    for (const day of days) {
      const trimmed = dayRequest(request, dayPlaceIds(day));
      expect((trimmed.places as unknown[]).length).toBeLessThan((request.places as unknown[]).length);
      const planned = tripPlanner.planDay(request, day);
      expect(tripPlanner.planDay(trimmed, day)).toEqual(planned);
      const plannedTrimmed = dayRequest(request, dayPlaceIds(planned));
      expect(tripPlanner.optimiseDay(plannedTrimmed, planned)).toEqual(
        tripPlanner.optimiseDay(request, planned),
      );
    }
  });

  it('keeps every other field, and the place ids a day names', () => {
    const day = days[0]!;
    const trimmed = dayRequest(request, dayPlaceIds(day));
    const { places: _all, ...rest } = request;
    expect(trimmed).toMatchObject(rest);
    expect((trimmed.places as Array<{ id: string }>).map((p) => p.id).sort()).toEqual(
      [...dayPlaceIds(day)].sort(),
    );
  });
});
