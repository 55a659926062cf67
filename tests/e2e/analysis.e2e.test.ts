/**
 * The analysis workflow end to end through the local host: interactions posted over HTTP into the
 * durable log (real Azurite), a preferences analysis submitted through the generic job API, run by
 * its queue trigger and orchestration, the profile stored (Blob + Redis) and served, the events routed
 * by the seed's SQL filters; and a trip analysis of a cached schedule.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VirtualClock } from '../../tools/funchost/clock';
import type { LocalHost } from '../../tools/funchost/host';
import { instanceIdOf } from '../../src/orchestrations/kit/workflow-definition';
import { startAppWithBlob, type AppWithBlob } from './app-with-blob';
import { uniqueId } from '../rig/redis-targets';

const root = path.resolve(__dirname, '../..');
const sample = JSON.parse(fs.readFileSync(path.join(root, 'samples/trip-request.json'), 'utf8')) as Record<
  string,
  unknown
>;

describe('analysis end to end', () => {
  let app: AppWithBlob;
  let host: LocalHost;
  const clock = new VirtualClock(new Date());

  beforeAll(async () => {
    app = await startAppWithBlob('TripGenAIAnalysisTest', { clock });
    ({ host } = app);
  });
  afterAll(() => app.stop());

  const api = (route: string, init?: RequestInit) => app.api(route, init);
  const postJson = (route: string, body: unknown, headers: Record<string, string> = {}) =>
    app.postJson(route, body, headers);
  const finished = (workflow: 'analysis' | 'trip-generation', jobId: string) =>
    host.durable.waitFor(
      instanceIdOf(workflow, jobId),
      (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus),
      20_000,
    );
  const eventsOf = (subscription: string, jobId: string) =>
    host
      .serviceBus!.peek(`ai-events/Subscriptions/${subscription}`)
      .filter((m) => String(m.messageId).endsWith(`:${jobId}`))
      .map((m) => m.applicationProperties?.EventType);

  const hoursAgo = (h: number) => new Date(clock.now() - h * 3600_000).toISOString();
  const interactions = (userId: string, museums: number, markets: number) => [
    ...Array.from({ length: museums }, (_, i) => ({
      userId,
      placeId: `museum-${i}`,
      action: i % 2 ? 'visit' : 'save',
      at: hoursAgo(24 + i),
      destination: 'Seoul',
      category: 'museum',
    })),
    ...Array.from({ length: markets }, (_, i) => ({
      userId,
      placeId: `market-${i}`,
      action: 'view',
      at: hoursAgo(48 + i),
      destination: 'Seoul',
      category: 'market',
    })),
  ];

  it('refuses a call with any bad row, naming each by index and field, and stores nothing', async () => {
    const userId = uniqueId('user');
    const rows = interactions(userId, 2, 1);
    const bad = [...rows, { ...rows[0], action: 'rate' }, { ...rows[0], at: 'yesterday' }];
    const response = await postJson('interactions', { interactions: bad });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { issues: Array<{ path: string; message: string }> };
    expect(body.issues.map((i) => i.path)).toEqual(['interactions[3].rating', 'interactions[4].at']);
    const job = await postJson('jobs/analysis', { userId, analysisType: 'preferences' });
    const { jobId } = (await job.json()) as { jobId: string };
    await finished('analysis', jobId);
    const profile = (await (await api(`users/${userId}/profile`)).json()) as {
      interactions?: number;
      categories: unknown[];
    };
    expect(profile.categories).toEqual([]);
  });

  it('analyses preferences: profile stored and served, events routed by the seed filters, PersonalizationUpdated only on change', async () => {
    const userId = uniqueId('user');
    expect((await api(`users/${userId}/profile`)).status).toBe(404);
    const stored = await postJson(
      'interactions',
      { interactions: interactions(userId, 6, 2) },
      { 'Idempotency-Key': `k-${userId}` },
    );
    expect(stored.status).toBe(200);
    expect(await stored.json()).toEqual({ callId: `k-${userId}`, stored: 8 });

    const submit = await postJson('jobs/analysis', { userId, analysisType: 'preferences' });
    expect(submit.status).toBe(202);
    const { jobId, profileUri } = (await submit.json()) as { jobId: string; profileUri: string };
    expect(profileUri).toBe(`/api/users/${userId}/profile`);
    expect((await finished('analysis', jobId)).runtimeStatus).toBe('Completed');
    const status = (await (await api(`jobs/${jobId}`)).json()) as { status: string; jobType: string };
    expect(status).toMatchObject({ status: 'completed', jobType: 'analysis' });

    const profile = (await (await api(`users/${userId}/profile`)).json()) as {
      categories: Array<{ category: string; weight: number }>;
    };
    expect(profile.categories[0]).toMatchObject({ category: 'museum' });
    expect(profile.categories[0]!.weight).toBeGreaterThan(profile.categories[1]!.weight);

    await host.serviceBus!.whenIdle();
    expect(eventsOf('analytics-service-subscription', jobId)).toContain('AnalysisCompleted');
    expect(eventsOf('notification-service-subscription', jobId)).toEqual(['AnalysisCompleted']);
    expect(eventsOf('trip-service-subscription', jobId)).toEqual([]);
    expect(eventsOf('user-service-subscription', jobId).sort()).toEqual([
      'PersonalizationUpdated',
      'PreferenceAnalyzed',
    ]);

    // The same interactions again: the profile does not move, so no PersonalizationUpdated.
    const again = (await (
      await postJson('jobs/analysis', { userId, analysisType: 'preferences' })
    ).json()) as {
      jobId: string;
    };
    await finished('analysis', again.jobId);
    await host.serviceBus!.whenIdle();
    expect(eventsOf('user-service-subscription', again.jobId)).toEqual(['PreferenceAnalyzed']);
  });

  it('reports on a cached trip of the user, and fails another user’s trip as not found', async () => {
    const userId = uniqueId('user');
    const tripJob = uniqueId('trip-job');
    const tripId = `trip-of-${tripJob}`;
    await postJson('jobs/trip-generation', {
      ...sample,
      jobId: tripJob,
      tripId,
      userId,
      sessionId: undefined,
    });
    expect((await finished('trip-generation', tripJob)).runtimeStatus).toBe('Completed');

    const mine = (await (
      await postJson('jobs/analysis', { userId, analysisType: 'trip', tripId })
    ).json()) as {
      jobId: string;
    };
    const done = await finished('analysis', mine.jobId);
    expect(done.runtimeStatus).toBe('Completed');
    const report = (done.output as { result: { report: Record<string, unknown> } }).result.report;
    expect(report).toMatchObject({ tripId, userId });
    expect(report.travelShare).toBeGreaterThan(0);
    expect(report.walkingKm).toEqual(expect.any(Number));
    // Judged against the constraints the schedule keeps: the sample's budget and must-visits are known.
    expect((report.days as Array<{ budgetUse: unknown }>)[0]!.budgetUse).toMatchObject({
      known: true,
      budgetPerDay: sample.budgetPerDay,
    });
    expect(report.unplacedMustVisits).toMatchObject({ known: true });
    expect(report.stopsAtRisk).toMatchObject({ known: true });

    const other = (await (
      await postJson('jobs/analysis', { userId: uniqueId('user'), analysisType: 'trip', tripId })
    ).json()) as { jobId: string };
    expect((await finished('analysis', other.jobId)).runtimeStatus).toBe('Failed');
    const status = (await (await api(`jobs/${other.jobId}`)).json()) as { status: string; error: string };
    expect(status).toMatchObject({ status: 'failed', error: expect.stringContaining('TripNotFound') });
  });

  it('answers 404 naming the five workflows for an unknown one, and 400 naming the fields of a bad analysis', async () => {
    const unknown = await postJson('jobs/forecasting', {});
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toMatch(
      /trip-generation, recommendation, analysis, model-training, batch/,
    );
    const asText = await api('jobs/analysis', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(asText.status).toBe(415);
    const malformed = await api('interactions', {
      method: 'POST',
      body: '{"interactions": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(await malformed.json())).toMatch(/line/);
    const bad = await postJson('jobs/analysis', {
      userId: 'u 1',
      analysisType: 'preferences',
      windowDays: 0,
    });
    expect(bad.status).toBe(400);
    expect(
      ((await bad.json()) as { issues: Array<{ path: string }> }).issues.map((i) => i.path).sort(),
    ).toEqual(['userId', 'windowDays']);
  });
});
