/**
 * The job API's edge through the real app on the local host (issue 12): who the caller is (App
 * Service authentication's x-ms-client-principal header, on and off), what belongs to whom (jobs,
 * trips and their schedules, profiles), bad input refused with the field named (a start date before
 * today, the schedule route's tripId), a submit whose queue send fails, and 500 bodies that carry an
 * error id only. Service Bus is the one faked boundary, in one test: its sender is made to throw.
 */
import fs from 'node:fs';
import path from 'node:path';
import { encodePrincipal, PRINCIPAL_HEADER } from '../../src/lib/api/caller';
import { topology } from '../../src/lib/messaging/topology';
import { tripInstanceId } from '../../src/orchestrations/trip-generation/names';
import { startLocalHost, type LocalHost } from '../../tools/funchost/host';
import { uniqueId } from '../rig/redis-targets';
import { rigStandaloneUrl } from '../rig/rig-env';

const root = path.resolve(__dirname, '../..');
const sample = JSON.parse(fs.readFileSync(path.join(root, 'samples/trip-request.json'), 'utf8')) as Record<
  string,
  unknown
>;
type AppServicesModule = typeof import('../../src/lib/app-services');

async function startApp(env: Record<string, string>): Promise<{
  host: LocalHost;
  appModule: () => AppServicesModule;
  stop(): Promise<void>;
}> {
  let appModule: AppServicesModule | undefined;
  const host = await startLocalHost({
    load: () =>
      jest.isolateModules(() => {
        require('../../src/index');
        appModule = require('../../src/lib/app-services') as AppServicesModule;
      }),
    env: {
      REDIS_URL: rigStandaloneUrl(),
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      ...env,
    },
    hostJsonPath: path.join(root, 'host.json'),
    serviceBus: { topology },
    quiet: true,
  });
  return {
    host,
    appModule: () => appModule!,
    async stop() {
      await appModule?.resetAppServices();
      await host.stop();
    },
  };
}

const trip = (overrides: Record<string, unknown> = {}) => {
  const jobId = uniqueId('edge-job');
  return { ...sample, jobId, tripId: `trip-of-${jobId}`, sessionId: `s-${jobId}`, ...overrides } as Record<
    string,
    unknown
  > & { jobId: string; tripId: string };
};

describe('job API with App Service authentication on (AUTH_ENABLED=true)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp({ AUTH_ENABLED: 'true', DURABLE_TASK_HUB_NAME: 'EdgeAuthOn' });
  });
  afterAll(() => app.stop());

  const as = (userId: string | undefined, roles: string[] = []) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (userId) headers[PRINCIPAL_HEADER] = encodePrincipal(userId, roles);
    return {
      get: (route: string) => fetch(`${app.host.baseUrl}/api/${route}`, { headers }),
      del: (route: string) => fetch(`${app.host.baseUrl}/api/${route}`, { method: 'DELETE', headers }),
      post: (route: string, body: unknown) =>
        fetch(`${app.host.baseUrl}/api/${route}`, { method: 'POST', headers, body: JSON.stringify(body) }),
    };
  };
  const alice = as('alice');
  const bob = as('bob');
  const admin = as('ops', ['TripGen.Admin']);
  const completed = (jobId: string) =>
    app.host.durable.waitFor(tripInstanceId(jobId), (i) => i.runtimeStatus === 'Completed', 60_000);

  it('a request without the principal header is 401', async () => {
    const response = await as(undefined).get('jobs/any-job');
    expect(response.status).toBe(401);
    expect(((await response.json()) as { message: string }).message).toContain(PRINCIPAL_HEADER);
  });

  it("another user's job is 404 on GET, DELETE and SSE; its owner and an admin see it", async () => {
    const body = trip({ userId: 'alice' });
    expect((await alice.post('jobs/trip-generation', body)).status).toBe(202);
    for (const response of [
      await bob.get(`jobs/${body.jobId}`),
      await bob.get(`jobs/${body.jobId}/events`),
      await bob.del(`jobs/${body.jobId}`),
    ]) {
      expect(response.status).toBe(404);
      // Exactly the answer for a job that does not exist.
      expect(await response.json()).toEqual({
        error: 'NotFound',
        message: `job ${body.jobId} was not found`,
      });
    }
    expect((await alice.get(`jobs/${body.jobId}`)).status).toBe(200);
    expect((await admin.get(`jobs/${body.jobId}`)).status).toBe(200);
    await completed(body.jobId);
    // Bob's refused cancel changed nothing.
    expect(
      ((await alice.get(`jobs/${body.jobId}`)).json() as Promise<{ status: string }>).then((j) => j.status),
    ).resolves.toBe('completed');
  });

  it("a trip is its first user's: another user's job for the same tripId is 409 and its schedule is 404 to them", async () => {
    const first = trip({ userId: 'alice' });
    expect((await alice.post('jobs/trip-generation', first)).status).toBe(202);
    await completed(first.jobId);
    const second = trip({ userId: 'bob', tripId: first.tripId });
    const refused = await bob.post('jobs/trip-generation', second);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: 'Conflict', tripId: first.tripId });
    expect((await bob.get(`jobs/${second.jobId}`)).status).toBe(404); // nothing was recorded or queued
    expect((await bob.get(`trips/${first.tripId}/schedule`)).status).toBe(404);
    expect((await alice.get(`trips/${first.tripId}/schedule`)).status).toBe(200);
    expect((await admin.get(`trips/${first.tripId}/schedule`)).status).toBe(200);
    // The owner may generate her trip again.
    const again = trip({ userId: 'alice', tripId: first.tripId });
    expect((await alice.post('jobs/trip-generation', again)).status).toBe(202);
    await completed(again.jobId);
  });

  it("a body naming another user is 403 unless the caller is an admin; a body without userId is the caller's", async () => {
    const forged = await bob.post('jobs/trip-generation', trip({ userId: 'alice' }));
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ issues: [{ path: 'userId' }] });
    const { userId: _dropped, ...withoutUser } = trip();
    const own = await bob.post('jobs/trip-generation', withoutUser);
    expect(own.status).toBe(202);
    const { jobId } = (await own.json()) as { jobId: string };
    expect(await (await bob.get(`jobs/${jobId}`)).json()).toMatchObject({ userId: 'bob' });
    const onBehalf = trip({ userId: 'carol' });
    expect((await admin.post('jobs/trip-generation', onBehalf)).status).toBe(202);
    await completed(jobId);
    await completed(onBehalf.jobId);
  });

  it('bulk routes act for the caller only: interactions and batch items for another user are 403 by row, before anything is stored or queued', async () => {
    const services = app.appModule().appServices();
    const log = jest.spyOn(services, 'interactionLog');
    const at = new Date().toISOString();
    const interactions = await bob.post('interactions', {
      interactions: [
        { userId: 'bob', placeId: 'p1', action: 'view', at, destination: 'Seoul' },
        { userId: 'alice', placeId: 'p1', action: 'save', at, destination: 'Seoul' },
      ],
    });
    expect(interactions.status).toBe(403);
    expect(await interactions.json()).toMatchObject({
      error: 'Forbidden',
      issues: [{ path: 'interactions[1].userId', message: 'is not the signed-in user' }],
    });
    expect(log).not.toHaveBeenCalled();
    log.mockRestore();

    const batchId = uniqueId('edge-batch');
    const batch = await bob.post('jobs/batch', {
      jobId: batchId,
      operation: 'generate-trips',
      items: [trip({ userId: 'bob' }), trip({ userId: 'alice' })].map(
        ({ jobId: _job, sessionId: _session, ...item }) => item,
      ),
    });
    expect(batch.status).toBe(403);
    expect(await batch.json()).toMatchObject({ issues: [{ path: 'items[1].userId' }] });
    const byBlob = await bob.post('jobs/batch', {
      operation: 'analyse-preferences',
      itemsUri: 'https://example.blob.core.windows.net/inputs/items.jsonl',
    });
    expect(byBlob.status).toBe(403);
    expect(await byBlob.json()).toMatchObject({ issues: [{ path: 'itemsUri' }] });
    expect((await admin.get(`jobs/${batchId}`)).status).toBe(404); // nothing recorded or queued
  });

  it("another user's profile is 404 before any lookup (the store is not even asked)", async () => {
    const services = app.appModule().appServices();
    const lookups = jest.spyOn(services, 'profileStore');
    const others = await bob.get('users/alice/profile');
    expect(others.status).toBe(404);
    expect(((await others.json()) as { message: string }).message).toBe(
      'profile of user alice was not found',
    );
    expect(lookups).not.toHaveBeenCalled();
    lookups.mockRestore();
  });

  it("another user's recommendations are 404 and the model API is 403 for non-admins, before any lookup", async () => {
    const services = app.appModule().appServices();
    const lookups = jest.spyOn(services, 'modelServing');
    const others = await bob.get('users/alice/recommendations?destination=Seoul');
    expect(others.status).toBe(404);
    expect(((await others.json()) as { message: string }).message).toBe(
      'recommendations of user alice was not found',
    );
    expect((await as(undefined).get('users/alice/recommendations?destination=Seoul')).status).toBe(401);
    for (const response of [
      await bob.get('models/place-recommender'),
      await bob.post('models/place-recommender/deployments', { version: 1, percent: 100 }),
      await bob.post('models/place-recommender/rollback', {}),
    ]) {
      expect(response.status).toBe(403);
      expect(((await response.json()) as { message: string }).message).toMatch(/for admins/);
    }
    expect(lookups).not.toHaveBeenCalled();
    lookups.mockRestore();
  });
});

describe('job API with authentication off (the npm run dev default)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp({ AUTH_ENABLED: 'false', DURABLE_TASK_HUB_NAME: 'EdgeAuthOff' });
  });
  afterAll(() => app.stop());
  afterEach(() => jest.restoreAllMocks());

  const api = (route: string, init?: RequestInit) => fetch(`${app.host.baseUrl}/api/${route}`, init);
  const post = (body: unknown) =>
    api('jobs/trip-generation', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });

  it("every request acts as an admin: any user's job is read without a principal header", async () => {
    const body = trip({ userId: 'dana' });
    expect((await post(body)).status).toBe(202);
    expect(await (await api(`jobs/${body.jobId}`)).json()).toMatchObject({ userId: 'dana' });
    await app.host.durable.waitFor(
      tripInstanceId(body.jobId),
      (i) => i.runtimeStatus === 'Completed',
      60_000,
    );
  });

  it('a trip starting before today in its time zone is 400 naming startDate; today there is accepted', async () => {
    const zone = 'Pacific/Kiritimati'; // UTC+14: its today is the latest on Earth
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const past = await post(trip({ startDate: yesterday, timeZone: zone }));
    expect(past.status).toBe(400);
    expect(await past.json()).toMatchObject({
      issues: [{ path: 'startDate', message: `is before today (${today} in ${zone})` }],
    });
    const old = await post(trip({ startDate: '1999-06-01' }));
    expect(old.status).toBe(400);
    expect(((await old.json()) as { issues: Array<{ path: string }> }).issues[0]!.path).toBe('startDate');
    const badZone = await post(trip({ timeZone: 'Mars/Olympus' }));
    expect(badZone.status).toBe(400);
    expect(await badZone.json()).toMatchObject({ issues: [{ path: 'timeZone' }] });
    const current = trip({ startDate: today, timeZone: zone });
    expect((await post(current)).status).toBe(202);
    await app.host.durable.waitFor(
      tripInstanceId(current.jobId),
      (i) => i.runtimeStatus === 'Completed',
      60_000,
    );
  });

  it("the schedule route checks tripId with POST's rule and message", async () => {
    const bad = 'trip with spaces';
    const fromPost = (await (await post(trip({ tripId: bad }))).json()) as { issues: unknown[] };
    const fromRoute = await api(`trips/${encodeURIComponent(bad)}/schedule`);
    expect(fromRoute.status).toBe(400);
    const routeIssues = ((await fromRoute.json()) as { issues: unknown[] }).issues;
    expect(routeIssues).toEqual([expect.objectContaining({ path: 'tripId' })]);
    expect(fromPost.issues).toContainEqual(routeIssues[0]);
  });

  it('a send that fails is 503 naming the job, whose record says failed (SubmitFailed), never queued', async () => {
    const services = app.appModule().appServices();
    const sender = {
      sendMessages: () =>
        Promise.reject(new Error('ServiceCommunicationError: connect ECONNREFUSED 10.1.2.3:5671')),
      close: () => Promise.resolve(),
    };
    jest
      .spyOn(services, 'queueSender')
      .mockReturnValue(sender as unknown as ReturnType<typeof services.queueSender>);
    const body = trip();
    const response = await post(body);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    const answer = (await response.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ reason: 'SubmitFailed', jobId: body.jobId, recordedStatus: 'failed' });
    expect(JSON.stringify(answer)).not.toContain('ECONNREFUSED'); // no internal text
    jest.restoreAllMocks();
    const record = (await (await api(`jobs/${body.jobId}`)).json()) as { status: string; error: string };
    expect(record.status).toBe('failed');
    expect(record.error).toContain('SubmitFailed');
    // The same id cannot slip back to queued.
    expect((await post(body)).status).toBe(409);
  });

  it('an unexpected failure is a 500 carrying an error id and nothing of the internal text', async () => {
    const services = app.appModule().appServices();
    jest.spyOn(services, 'jobStore').mockRejectedValue(new Error('secret internal detail at /srv/x.ts:12'));
    const response = await api('jobs/some-job');
    expect(response.status).toBe(500);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['error', 'errorId', 'message']);
    expect(JSON.stringify(body)).not.toContain('secret');
    expect(String(body.message)).toContain(String(body.errorId));
  });
});
