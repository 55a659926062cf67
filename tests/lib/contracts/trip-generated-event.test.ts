import { tripGeneratedEventSchema } from '../../../src/lib/contracts/trip-generated-event';
import { planTrip } from '../../../src/lib/planner';
import { sampleRequest } from '../planner/planner-fixtures';

describe('TripGenerated event contract', () => {
  const request = sampleRequest();
  const schedule = planTrip(request);
  const event = {
    eventType: 'TripGenerated',
    schemaVersion: 1,
    jobId: request.jobId,
    tripId: request.tripId,
    userId: request.userId,
    destination: schedule.destination,
    startDate: schedule.startDate,
    days: schedule.totals.days,
    totals: schedule.totals,
    scheduleKey: `trips/${request.tripId}/schedule`,
    generatedAt: '2026-12-01T08:00:00.000Z',
  };

  it('accepts an event built from a planned schedule', () => {
    expect(tripGeneratedEventSchema.parse(event)).toEqual(event);
  });

  it('refuses an event with a bad id, a missing total or a local time', () => {
    const { travelKm: _km, ...totals } = schedule.totals;
    const parsed = tripGeneratedEventSchema.safeParse({
      ...event,
      jobId: 'no spaces',
      totals,
      generatedAt: '2026-12-01 08:00',
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'generatedAt',
      'jobId',
      'totals.travelKm',
    ]);
  });
});
