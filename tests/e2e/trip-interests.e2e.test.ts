/**
 * A trip request without `interests` is planned with the user's stored preference profile (from the
 * analysis workflow); without a profile every category counts the same. Real Azurite and Redis
 * through the local host; the job's result says where the interests came from.
 */
import fs from 'node:fs';
import path from 'node:path';
import { instanceIdOf } from '../../src/orchestrations/kit/workflow-definition';
import { startAppWithBlob, type AppWithBlob } from './app-with-blob';
import { uniqueId } from '../rig/redis-targets';

const root = path.resolve(__dirname, '../..');
const sample = JSON.parse(fs.readFileSync(path.join(root, 'samples/trip-request.json'), 'utf8')) as {
  places: Array<{ id: string; category: string }>;
} & Record<string, unknown>;
const categoryOf = new Map(sample.places.map((p) => [p.id, p.category]));

interface Stop {
  placeId: string;
}
interface Schedule {
  days: Array<{ stops: Stop[] }>;
}

describe('trip interests from the stored profile', () => {
  let app: AppWithBlob;
  beforeAll(async () => {
    app = await startAppWithBlob('TripGenAIInterestsTest');
  });
  afterAll(() => app.stop());

  const finished = async (workflow: 'analysis' | 'trip-generation', jobId: string) => {
    await app.host.durable.waitFor(
      instanceIdOf(workflow, jobId),
      (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus),
      30_000,
    );
    return (await (await app.api(`jobs/${jobId}`)).json()) as {
      status: string;
      result?: { interestsFrom?: string };
      error?: unknown;
    };
  };

  const tripWithout = async (userId: string, overrides: Record<string, unknown> = {}) => {
    const jobId = uniqueId('trip-job');
    const tripId = `trip-${jobId}`;
    const { interests: _omitted, mustVisit: _none, ...request } = sample;
    const submit = await app.postJson('jobs/trip-generation', {
      ...request,
      startDate: '2027-06-01',
      jobId,
      tripId,
      userId,
      ...overrides,
    });
    expect(submit.status).toBe(202);
    const status = await finished('trip-generation', jobId);
    expect(status.status).toBe('completed');
    const schedule = (await (await app.api(`trips/${tripId}/schedule`)).json()) as Schedule;
    const categories = schedule.days.flatMap((d) => d.stops.map((s) => categoryOf.get(s.placeId)));
    return { status, categories };
  };

  it('plans with the profile of a user who loves museums, and says so in the result', async () => {
    const userId = uniqueId('museum-lover');
    const now = Date.now();
    const museums = sample.places.filter((p) => p.category === 'museum');
    const rows = museums.flatMap((place, i) =>
      (['visit', 'save', 'view'] as const).map((action, j) => ({
        userId,
        placeId: place.id,
        action,
        at: new Date(now - (i * 3 + j + 1) * 3600_000).toISOString(),
        destination: 'Seoul',
        category: 'museum',
      })),
    );
    expect((await app.postJson('interactions', { interactions: rows })).status).toBe(200);
    const analysis = (await (
      await app.postJson('jobs/analysis', { userId, analysisType: 'preferences' })
    ).json()) as { jobId: string };
    expect((await finished('analysis', analysis.jobId)).status).toBe('completed');

    const withProfile = await tripWithout(userId);
    expect(withProfile.status.result?.interestsFrom).toBe('profile');
    const museumShare = withProfile.categories.filter((c) => c === 'museum').length;
    // Every museum of the sample fits a 3-day trip; a profile that ignored museums would not pick all 7.
    expect(museumShare).toBe(museums.length);

    const stranger = await tripWithout(uniqueId('new-user'));
    expect(stranger.status.result?.interestsFrom).toBe('none');
    expect(stranger.categories.filter((c) => c === 'museum').length).toBeLessThan(museumShare);
  });

  it('keeps the interests a request names, even when a profile exists', async () => {
    const trip = await tripWithout(uniqueId('explicit'), { interests: { park: 1 } });
    expect(trip.status.result?.interestsFrom).toBe('request');
  });
});
