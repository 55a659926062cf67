/**
 * Trip generation end to end through the local host: the real app (src/index.ts) loaded with the
 * host's @azure/functions-core; HTTP on a real port; the app's own @azure/service-bus client sending
 * over AMQP into the Service Bus emulation, which runs the queue trigger (sessions, sdkBinding
 * settlement); orchestrations replayed by durable-functions; the test rig's real Redis.
 */
import { VirtualClock } from '../../tools/funchost/clock';
import { startLocalHost, type LocalHost } from '../../tools/funchost/host';
import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { topology } from '../../src/lib/messaging/topology';
import { Keys } from '../../src/lib/redis/keys';
import { tripInstanceId } from '../../src/orchestrations/trip-generation/names';
import { startRedisServer, type RedisProcessHandle } from '../../tools/redis/redis-process';
import { uniqueId } from '../rig/redis-targets';

const root = path.resolve(__dirname, '../..');
const sample = JSON.parse(fs.readFileSync(path.join(root, 'samples/trip-request.json'), 'utf8')) as {
  places: Array<Record<string, unknown>>;
  [field: string]: unknown;
};
const THIRTY_MINUTES = 30 * 60_000;

describe('trip generation end to end', () => {
  let host: LocalHost;
  let clock: VirtualClock;
  let redis: Redis;
  // A Redis of its own: the transient-failure test fills its memory on purpose.
  let redisServer: RedisProcessHandle;
  let appModule: typeof import('../../src/lib/app-services') | undefined;

  beforeAll(async () => {
    redisServer = await startRedisServer();
    Object.assign(process.env, {
      REDIS_URL: redisServer.url,
      DURABLE_TASK_HUB_NAME: 'TripGenAITest',
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    });
    clock = new VirtualClock(new Date());
    host = await startLocalHost({
      load: () =>
        jest.isolateModules(() => {
          require('../../src/index');
          appModule = require('../../src/lib/app-services') as typeof import('../../src/lib/app-services');
        }),
      clock,
      hostJsonPath: path.join(root, 'host.json'),
      serviceBus: { topology },
      quiet: true,
    });
    redis = new Redis(redisServer.url);
  });
  afterAll(async () => {
    await appModule?.resetAppServices();
    await host.stop();
    redis.disconnect();
    await redisServer.stop();
  });

  const api = (route: string, init?: RequestInit) => fetch(`${host.baseUrl}/api/${route}`, init);
  const post = (body: unknown) =>
    api('jobs/trip-generation', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
  const finished = (jobId: string) =>
    host.durable.waitFor(
      tripInstanceId(jobId),
      (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus),
      20_000,
    );
  const started = (jobId: string) =>
    host.durable.waitFor(tripInstanceId(jobId), (i) => i.history.length > 3, 20_000);
  const trip = (overrides: Record<string, unknown> = {}) => {
    const jobId = uniqueId('trip-job');
    return {
      ...sample,
      jobId,
      tripId: `trip-of-${jobId}`,
      sessionId: `session-${jobId}`,
      ...overrides,
    } as Record<string, unknown> & {
      jobId: string;
      tripId: string;
    };
  };
  const events = (subscription: string) => host.serviceBus!.peek(`ai-events/Subscriptions/${subscription}`);

  it('HTTP → queue → orchestration: live SSE progress, cached schedule, TripGenerated to the right subscribers', async () => {
    const body = trip();
    const response = await post(body);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      jobId: body.jobId,
      workflow: 'trip-generation',
      status: 'queued',
      statusUri: `/api/jobs/${body.jobId}`,
      eventsUri: `/api/jobs/${body.jobId}/events`,
      scheduleUri: `/api/trips/${body.tripId}/schedule`,
    });
    expect(response.headers.get('location')).toBe(`${host.baseUrl}/api/jobs/${body.jobId}`);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);

    const stream = await api(`jobs/${body.jobId}/events`);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const frames = (await stream.text()).split('\n\n').filter((f) => f.startsWith('id: '));
    const messages = frames.map(
      (f) =>
        JSON.parse(/data: (.*)/.exec(f)![1]!) as { status: string; progress: number; data: { step: string } },
    );
    expect(messages[0]!.status).toBe('queued');
    expect(messages.at(-1)).toMatchObject({ status: 'completed', progress: 100 });
    const progress = messages.map((m) => m.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect([...new Set(messages.map((m) => m.data.step))]).toEqual([
      'queued',
      'validating_request',
      'selecting_places',
      'planning_days',
      'optimising_routes',
      'assembling_schedule',
      'caching_schedule',
      'announcing_result',
      'completed',
    ]);
    // Resuming after the third event gives exactly the rest.
    const lastEventId = /id: (.*)/.exec(frames[2]!)![1]!;
    const rest = await (
      await api(`jobs/${body.jobId}/events`, { headers: { 'Last-Event-ID': lastEventId } })
    ).text();
    expect(rest.split('\n\n').filter((f) => f.startsWith('id: '))).toHaveLength(frames.length - 3);

    const status = (await (await api(`jobs/${body.jobId}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({
      status: 'completed',
      progress: 100,
      orchestration: { runtimeStatus: 'Completed' },
    });
    const schedule = (await (await api(`trips/${body.tripId}/schedule`)).json()) as { days: unknown[] };
    expect(schedule.days).toHaveLength(3);
    expect(await redis.ttl(Keys.schedule(body.tripId))).toBeGreaterThan(28_790);

    await host.serviceBus!.whenIdle();
    expect(events('trip-service-subscription').map((m) => m.messageId)).toContain(
      `TripGenerated:${body.jobId}`,
    );
    expect(events('notification-service-subscription').map((m) => m.messageId)).toContain(
      `TripGenerated:${body.jobId}`,
    );
    expect(events('user-service-subscription')).toHaveLength(0);
    expect(host.serviceBus!.peek('ai-trip-generation')).toHaveLength(0); // completed, not left behind

    // Submitting the same job again starts nothing.
    expect((await post(body)).status).toBe(409);
    expect(host.durable.list().filter((i) => i.instanceId === tripInstanceId(body.jobId))).toHaveLength(1);
  });

  it('answers 400 with every bad field for an invalid body, and 404 for unknown jobs and schedules', async () => {
    const response = await post({ ...trip(), days: 0, pace: 'fast', startDate: '2026-13-01' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { issues: Array<{ path: string }> };
    expect(body.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['days', 'pace', 'startDate']));
    expect((await api('jobs/not-a-job')).status).toBe(404);
    expect((await api('jobs/bad%20id')).status).toBe(400);
    expect((await api('trips/nothing-here/schedule')).status).toBe(404);
  });

  it('dead-letters a malformed message at once with ValidationFailed and marks its job failed', async () => {
    const jobId = uniqueId('bad-job');
    host.serviceBus!.send('ai-trip-generation', {
      messageId: `m-${jobId}`,
      sessionId: 'malformed',
      body: { jobId, userId: 'user-9', days: 99, places: [] },
      contentType: 'application/json',
    });
    await host.serviceBus!.whenIdle();
    const dead = host.serviceBus!.deadLetters('ai-trip-generation').find((m) => m.messageId === `m-${jobId}`);
    expect(dead?.deadLetter).toMatchObject({
      reason: 'ValidationFailed',
      description: expect.stringMatching(/days: must be at most 14/),
    });
    expect(dead?.deliveryCount).toBe(1);
    const status = (await (await api(`jobs/${jobId}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ status: 'failed', error: expect.stringContaining('ValidationFailed') });
  });

  it('retries a transient activity failure (Redis out of memory) with back-off, then succeeds', async () => {
    const body = trip();
    await post(body);
    await started(body.jobId);
    const instanceId = tripInstanceId(body.jobId);
    host.durable.suspend(instanceId, 'stall');
    await host.durable.whenIdle();
    // With no room and no eviction, every write fails: the next activity's Redis call throws.
    const [, maxmemory] = (await redis.config('GET', 'maxmemory')) as [string, string];
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
    await redis.config('SET', 'maxmemory', '1');
    host.durable.resume(instanceId, 'go on');
    await host.durable.waitFor(instanceId, (i) => i.history.some((e) => e.EventType === 6), 20_000);
    await redis.config('SET', 'maxmemory', maxmemory);
    await host.durable.whenIdle();
    clock.advance(2_000); // the first retry interval
    const instance = await finished(body.jobId);
    expect(instance.runtimeStatus).toBe('Completed');
    expect(instance.history.filter((e) => e.EventType === 6).length).toBeGreaterThanOrEqual(1);
    await host.serviceBus!.whenIdle();
    expect(
      events('trip-service-subscription').filter((m) => m.messageId === `TripGenerated:${body.jobId}`),
    ).toHaveLength(1);
  });

  it('fails a job at once on a permanent error, with no TripGenerated', async () => {
    const body = trip({
      budgetPerDay: 5_000,
      mustVisit: [],
      places: sample.places.map((p) => ({ ...p, priceLevel: 4 })),
    });
    expect((await post(body)).status).toBe(202);
    const instance = await finished(body.jobId);
    expect(instance.runtimeStatus).toBe('Failed');
    expect(instance.history.some((e) => e.EventType === 6)).toBe(false); // nothing was retried
    const status = (await (await api(`jobs/${body.jobId}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ status: 'failed', error: expect.stringMatching(/^NoFeasiblePlan:/) });
    expect(events('trip-service-subscription').map((m) => m.messageId)).not.toContain(
      `TripGenerated:${body.jobId}`,
    );
  });

  it('fails a job that outlives MaxProcessingTime (30 min on the virtual clock)', async () => {
    const body = trip();
    await post(body);
    await started(body.jobId);
    // Hold the job (as a slow model would), let 30 minutes pass, then let it go on.
    host.durable.suspend(tripInstanceId(body.jobId), 'stall');
    await host.durable.whenIdle();
    clock.advance(THIRTY_MINUTES);
    host.durable.resume(tripInstanceId(body.jobId), 'go on');
    expect((await finished(body.jobId)).runtimeStatus).toBe('Failed');
    const status = (await (await api(`jobs/${body.jobId}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Timeout:/) });
    expect(events('trip-service-subscription').map((m) => m.messageId)).not.toContain(
      `TripGenerated:${body.jobId}`,
    );
  });

  it('cancels a running job over HTTP: cancelled, terminated, and a second cancel conflicts', async () => {
    const body = trip();
    await post(body);
    await started(body.jobId);
    host.durable.suspend(tripInstanceId(body.jobId), 'stall');
    expect((await api(`jobs/${body.jobId}`, { method: 'DELETE' })).status).toBe(202);
    expect((await finished(body.jobId)).runtimeStatus).toBe('Terminated');
    const status = (await (await api(`jobs/${body.jobId}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ status: 'cancelled' });
    expect((await api(`jobs/${body.jobId}`, { method: 'DELETE' })).status).toBe(409);
  });

  it('runs the jobs of one session one at a time in arrival order while another session runs beside them; triggers hold no message', async () => {
    const session = uniqueId('session');
    const [a1, a2, a3, b1] = [
      trip({ sessionId: session }),
      trip({ sessionId: session }),
      trip({ sessionId: session }),
      trip(),
    ];
    // The first job of the session stalls as soon as it exists: the jobs behind it wait, in their orchestrations.
    expect((await post(a1)).status).toBe(202);
    await host.durable.waitFor(tripInstanceId(a1.jobId), () => true, 20_000);
    host.durable.suspend(tripInstanceId(a1.jobId), 'stall');
    for (const body of [a2, a3]) expect((await post(body)).status).toBe(202);
    expect((await post(b1)).status).toBe(202);
    // Every message is settled while a1 is stalled: no trigger waits for a job (it did until now).
    const settledIn = Date.now();
    await host.serviceBus!.whenIdle();
    expect(Date.now() - settledIn).toBeLessThan(3_000);
    expect(host.serviceBus!.peek('ai-trip-generation')).toHaveLength(0);
    // The other session's job runs to the end beside the stalled one.
    expect((await finished(b1.jobId)).runtimeStatus).toBe('Completed');
    await host.durable.whenIdle();
    const steps = async (jobId: string) =>
      (await redis.xrange(Keys.jobEvents(jobId), '-', '+')).map(
        ([id, f]) =>
          [
            Number(id.split('-')[0]),
            JSON.parse(f[1]!) as { status: string; data: { step: string } },
          ] as const,
      );
    for (const waiting of [a2, a3]) {
      expect((await steps(waiting.jobId)).map(([, m]) => m.status)).not.toContain('processing');
      expect((await steps(waiting.jobId)).map(([, m]) => m.data.step)).toContain('waiting_for_turn');
    }
    host.durable.resume(tripInstanceId(a1.jobId), 'go on');
    await Promise.all([a1, a2, a3].map((b) => finished(b.jobId)));
    const firstProcessing = async (jobId: string) =>
      (await steps(jobId)).find(([, m]) => m.status === 'processing')![0];
    const completedAt = async (jobId: string) =>
      (await steps(jobId)).find(([, m]) => m.status === 'completed')![0];
    for (const [before, after] of [
      [a1, a2],
      [a2, a3],
    ] as const) {
      expect(await firstProcessing(after.jobId)).toBeGreaterThanOrEqual(await completedAt(before.jobId));
    }
    for (const body of [a1, a2, a3, b1]) {
      expect(((await (await api(`jobs/${body.jobId}`)).json()) as { status: string }).status).toBe(
        'completed',
      );
    }
  });

  it('never starts a job cancelled while queued, and completes its message', async () => {
    const session = uniqueId('session');
    const [first, second] = [trip({ sessionId: session }), trip({ sessionId: session })];
    expect((await post(first)).status).toBe(202);
    await host.durable.waitFor(tripInstanceId(first.jobId), () => true, 20_000);
    host.durable.suspend(tripInstanceId(first.jobId), 'stall');
    expect((await post(second)).status).toBe(202);
    await host.serviceBus!.whenIdle();
    // second is waiting for its turn; cancelled now, its orchestration is terminated and never processes.
    expect((await api(`jobs/${second.jobId}`, { method: 'DELETE' })).status).toBe(202);
    host.durable.resume(tripInstanceId(first.jobId), 'go on');
    await finished(first.jobId);
    const statuses = (await redis.xrange(Keys.jobEvents(second.jobId), '-', '+')).map(
      ([, f]) => (JSON.parse(f[1]!) as { status: string }).status,
    );
    expect(statuses).not.toContain('processing');
    expect(statuses.at(-1)).toBe('cancelled');
    expect(await redis.exists(Keys.schedule(second.tripId))).toBe(0);

    // A job cancelled before its message reached the trigger: the trigger completes the message, starts nothing.
    const late = trip();
    const store = appModule!.appServices();
    await (
      await store.jobStore()
    ).checkpoint(late.jobId, {
      userId: String(late.userId),
      jobType: 'trip-generation',
      status: 'cancelled',
    });
    host.serviceBus!.send('ai-trip-generation', {
      messageId: late.jobId,
      sessionId: 'late',
      body: late,
      contentType: 'application/json',
    });
    await host.serviceBus!.whenIdle();
    expect(host.durable.list().filter((i) => i.instanceId === tripInstanceId(late.jobId))).toHaveLength(0);
    expect(
      host.serviceBus!.deadLetters('ai-trip-generation').filter((m) => m.messageId === late.jobId),
    ).toHaveLength(0);
  });
});
