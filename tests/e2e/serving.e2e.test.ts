/**
 * Serving, the model API, the recommendation queue job, online feedback and the canary guard, end to
 * end through the local host with the rig's Redis and a real Azurite. The models are trained in
 * process with the model library on SYNTHETIC planted-taste data and registered through the real
 * registry. One file, run in order: routing is one record per model (place-recommender) and the
 * feedback counters of that model live in the shared Redis.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import Redis from 'ioredis';
import { userBucket } from '../../src/lib/models/canary';
import { MODELS_CONTAINER } from '../../src/lib/models/model-storage';
import { buildPreferenceProfile } from '../../src/lib/analysis/preference-profile';
import { ProfileStore } from '../../src/lib/analysis/profile-store';
import { instanceIdOf } from '../../src/orchestrations/kit/workflow-definition';
import { Channels, Keys } from '../../src/lib/redis/keys';
import { recordChannels } from '../rig/channel-recorder';
import { uniqueId } from '../rig/redis-targets';
import { rigStandaloneUrl } from '../rig/rig-env';
import { startAppWithBlob, type AppWithBlob } from './app-with-blob';
import { catalogPlaces, servingData, trainAndRegister, type ServingData } from './serving-fixture';

jest.setTimeout(120_000);

const MODEL = 'place-recommender';

interface Item {
  placeId: string;
  score: number;
  category?: string;
  reasons: Array<{ kind: string }>;
}
interface ListBody {
  recommendationId: string;
  modelName: string;
  modelVersion: number | null;
  variant: 'production' | 'canary' | 'fallback';
  source: string;
  cached: boolean;
  destination: string;
  items: Item[];
}
interface ModelBody {
  routing: {
    productionVersion: number | null;
    canaryVersion: number | null;
    canaryPercent: number;
    decisions: Array<{ action: string; version: number; reason: string; figures?: Record<string, unknown> }>;
  };
  versions: Array<{ version: number; status: string }>;
  guardChecks: Array<{ action: string; reason: string; figures: Record<string, unknown> }>;
}

describe('recommendation serving, model API and canary guard end to end', () => {
  let app: AppWithBlob;
  let redis: Redis;
  let data: ServingData;
  const run = uniqueId('srv');
  const destA = `Seoul ${run}`;
  const destB = `Busan ${run}`;
  const versions: number[] = [];

  beforeAll(async () => {
    redis = new Redis(rigStandaloneUrl());
    // The model's counters are shared by every run on this Redis: start this run from zero.
    const buckets = await redis.zrange(Keys.feedbackBuckets(MODEL), 0, -1);
    for (const id of buckets) await redis.del(Keys.feedbackCounts(MODEL, id));
    await redis.del(Keys.feedbackBuckets(MODEL));
    app = await startAppWithBlob('TripGenAIServingTest', {
      env: { CANARY_MIN_IMPRESSIONS: '30', CANARY_PROMOTE_AFTER_IMPRESSIONS: '60' },
    });
    data = servingData(run);
    for (const [destination, ids] of [
      [destA, data.placesOf.a],
      [destB, data.placesOf.b],
    ] as const) {
      const put = await app.api(`catalog/${encodeURIComponent(destination)}`, {
        method: 'PUT',
        body: JSON.stringify({ places: catalogPlaces(data, ids) }),
        headers: { 'content-type': 'application/json' },
      });
      expect(put.status).toBe(200);
    }
    for (const seed of [1, 2, 3])
      versions.push((await trainAndRegister(app.azurite.connectionString, MODEL, data, seed)).version);
  });
  afterAll(async () => {
    await app?.stop();
    redis?.disconnect();
  });

  const list = async (userId: string, destination: string, k = 5) => {
    const response = await app.api(
      `users/${encodeURIComponent(userId)}/recommendations?destination=${encodeURIComponent(destination)}&k=${k}`,
    );
    expect(response.status).toBe(200);
    return (await response.json()) as ListBody;
  };
  const model = async () => (await (await app.api(`models/${MODEL}`)).json()) as ModelBody;
  const deploy = (version: number, percent: number) =>
    app.postJson(`models/${MODEL}/deployments`, { version, percent });
  const modelEvents = () =>
    app.host
      .serviceBus!.peek('ai-model-events/Subscriptions/model-management-subscription')
      .map((m) => m.messageId);
  const until = async <T>(probe: () => Promise<T | undefined>, what: string): Promise<T> => {
    for (let n = 0; n < 400; n++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const click = (userId: string, served: ListBody, placeId = served.items[0]!.placeId) =>
    app.postJson('interactions', {
      interactions: [
        {
          userId,
          placeId,
          action: 'recommendation_click',
          at: new Date().toISOString(),
          destination: served.destination,
          recommendationId: served.recommendationId,
        },
      ],
    });

  it('answers with the fallback before any model serves, and the model API refuses bad requests', async () => {
    const before = await list(data.userIds[0]!, destA);
    expect(before).toMatchObject({ variant: 'fallback', modelVersion: null, source: 'popularity' });
    expect(before.items).toHaveLength(5);

    expect((await app.api('models/Bad_Name')).status).toBe(400);
    expect(((await (await app.api('models/Bad_Name')).json()) as { issues: unknown[] }).issues).toEqual([
      { path: 'modelName', message: expect.stringMatching(/a-z, 0-9/) },
    ]);
    expect((await app.api('models/no-such-model')).status).toBe(404);
    const bad = await deploy(0, 101);
    expect(bad.status).toBe(400);
    const issues = ((await bad.json()) as { issues: Array<{ path: string }> }).issues.map((i) => i.path);
    expect(issues.sort()).toEqual(['percent', 'version']);
    expect((await deploy(99, 100)).status).toBe(404);
    // A canary needs a production version to be compared with.
    expect((await deploy(versions[0]!, 10)).status).toBe(409);
    expect((await app.postJson(`models/${MODEL}/rollback`, {})).status).toBe(409);
  });

  it('promotes a version, serves it from the model, caches, excludes visited places, keeps destinations apart', async () => {
    const promoted = await deploy(versions[0]!, 100);
    expect(promoted.status).toBe(200);
    expect((await deploy(versions[0]!, 100)).status).toBe(409);
    const state = await model();
    expect(state.routing.productionVersion).toBe(versions[0]);
    expect(state.versions.map((v) => v.status)).toEqual(['production', 'candidate', 'candidate']);
    await app.host.serviceBus!.whenIdle();
    expect(modelEvents().some((id) => id.startsWith(`ModelDeployed:${MODEL}:${versions[0]}:promote:`))).toBe(
      true,
    );

    const userId = data.userIds[1]!;
    const first = await list(userId, destA);
    expect(first).toMatchObject({
      modelName: MODEL,
      modelVersion: versions[0],
      variant: 'production',
      source: 'history',
      cached: false,
    });
    expect(first.items).toHaveLength(5);
    expect(first.items.every((i) => data.placesOf.a.includes(i.placeId))).toBe(true);
    const scores = first.items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(first.items[0]!.reasons.map((r) => r.kind)).toContain('category');
    // The documented rule: at most 3 per category.
    const perCategory = new Map<string, number>();
    for (const i of first.items) perCategory.set(i.category!, (perCategory.get(i.category!) ?? 0) + 1);
    expect(Math.max(...perCategory.values())).toBeLessThanOrEqual(3);

    const second = await list(userId, destA);
    expect(second.cached).toBe(true);
    expect(second.items).toEqual(first.items);
    expect(second.recommendationId).not.toBe(first.recommendationId);

    const other = await list(userId, destB);
    expect(other.items.every((i) => data.placesOf.b.includes(i.placeId))).toBe(true);

    const visited = first.items[0]!.placeId;
    const stored = await app.postJson('interactions', {
      interactions: [
        { userId, placeId: visited, action: 'visit', at: new Date().toISOString(), destination: destA },
      ],
    });
    expect(stored.status).toBe(200);
    const after = await list(userId, destA);
    expect(after.items.map((i) => i.placeId)).not.toContain(visited);
  });

  it('serves a cold-start user from their profile folded in, and refuses bad parameters by name', async () => {
    const userId = `${run}-newcomer`;
    const category = data.categoryOf(data.placesOf.a[0]!);
    const rows = data.placesOf.b.slice(0, 6).map((placeId) => ({
      userId,
      placeId,
      action: 'save' as const,
      at: new Date(Date.now() - 3600_000).toISOString(),
      destination: destB,
      category,
    }));
    const profile = await buildPreferenceProfile(rows, { userId, now: new Date() });
    const blob = BlobServiceClient.fromConnectionString(app.azurite.connectionString);
    await new ProfileStore(redis, blob, 3600).save(profile);
    const served = await list(userId, destA, 6);
    expect(served).toMatchObject({ variant: 'production', source: 'profile', modelVersion: versions[0] });
    const inCategory = served.items.filter((i) => i.category === category).length;
    expect(inCategory).toBe(3); // the category rule caps the profile's favourite at 3
    expect(served.items[0]!.reasons.map((r) => r.kind)).toContain('profile');

    const bad = await app.api(`users/${userId}/recommendations?type=films&k=0`);
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as { issues: Array<{ path: string }> }).issues.map((i) => i.path);
    expect(paths).toEqual(['destination']);
    const worse = await app.api(`users/${userId}/recommendations?destination=x&type=films&k=0`);
    const worsePaths = ((await worse.json()) as { issues: Array<{ path: string }> }).issues.map(
      (i) => i.path,
    );
    expect(worsePaths.sort()).toEqual(['k', 'type']);
    expect((await app.api(`users/${userId}/recommendations?destination=Nowhere-${run}`)).status).toBe(404);
  });

  it('routes a stable share of users to the canary, and counts impressions and clicks per variant once per list', async () => {
    expect((await deploy(versions[1]!, 50)).status).toBe(200);
    expect((await deploy(versions[2]!, 20)).status).toBe(409); // one canary at a time
    const users = data.userIds.slice(0, 12);
    for (const userId of users) {
      const a = await list(userId, destA);
      const b = await list(userId, destA);
      const expected = userBucket(userId, MODEL) < 50 ? 'canary' : 'production';
      expect([a.variant, b.variant]).toEqual([expected, expected]);
      expect(a.modelVersion).toBe(expected === 'canary' ? versions[1] : versions[0]);
    }
    const userId = users[0]!;
    const served = await list(userId, destA);
    const counted = await click(userId, served);
    expect(((await counted.json()) as { feedback: unknown }).feedback).toEqual({
      counted: 1,
      notCounted: [],
    });
    const again = await click(userId, served, served.items[1]!.placeId);
    expect(((await again.json()) as { feedback: unknown }).feedback).toEqual({
      counted: 0,
      notCounted: [{ index: 0, reason: 'duplicate' }],
    });
    const stranger = await click(`${run}-stranger`, served);
    expect(((await stranger.json()) as { feedback: { notCounted: unknown[] } }).feedback.notCounted).toEqual([
      { index: 0, reason: 'other-user' },
    ]);
    const elsewhere = await click(userId, served, 'place-not-served');
    expect(((await elsewhere.json()) as { feedback: { notCounted: unknown[] } }).feedback.notCounted).toEqual(
      [{ index: 0, reason: 'not-in-list' }],
    );
    const buckets = await redis.zrange(Keys.feedbackBuckets(MODEL), 0, -1);
    const totals: Record<string, number> = {};
    for (const id of buckets)
      for (const [field, value] of Object.entries(await redis.hgetall(Keys.feedbackCounts(MODEL, id))))
        totals[field] = (totals[field] ?? 0) + Number(value);
    const variant = served.variant;
    expect(totals[`${variant}:${served.modelVersion}:clicks`]).toBe(1);
    const impressions =
      (totals[`canary:${versions[1]}:impressions`] ?? 0) +
      (totals[`production:${versions[0]}:impressions`] ?? 0);
    expect(impressions).toBeGreaterThanOrEqual(25);
  });

  it('runs a recommendation job from the queue: cached, published on ai:recommendations:{userId}, RecommendationReady announced', async () => {
    const userId = data.userIds[20]!;
    const subscriber = new Redis(rigStandaloneUrl());
    const channel = await recordChannels(subscriber, [Channels.recommendations(userId)]);
    try {
      const refused = await app.postJson('jobs/recommendation', { userId, k: 0 });
      expect(refused.status).toBe(400);
      const refusedPaths = ((await refused.json()) as { issues: Array<{ path: string }> }).issues.map(
        (i) => i.path,
      );
      expect(refusedPaths.sort()).toEqual(['destination', 'k']);

      const submit = await app.postJson('jobs/recommendation', { userId, destination: destB, k: 4 });
      expect(submit.status).toBe(202);
      const { jobId, recommendationsUri } = (await submit.json()) as {
        jobId: string;
        recommendationsUri: string;
      };
      expect(recommendationsUri).toContain(`/api/users/${userId}/recommendations?destination=`);
      const done = await app.host.durable.waitFor(
        instanceIdOf('recommendation', jobId),
        (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus),
        30_000,
      );
      expect(done.runtimeStatus).toBe('Completed');
      await channel.waitFor(1, 10_000);
      const message = channel.received[0]!.message as unknown as ListBody & { jobId: string };
      expect(message.jobId).toBe(jobId);
      expect(message.items).toHaveLength(4);
      expect(message.items.every((i) => data.placesOf.b.includes(i.placeId))).toBe(true);
      const status = (await (await app.api(`jobs/${jobId}`)).json()) as { status: string; jobType: string };
      expect(status).toMatchObject({ status: 'completed', jobType: 'recommendation' });
      // The list is now cached for the HTTP route.
      expect((await list(userId, destB, 4)).cached).toBe(true);
      await app.host.serviceBus!.whenIdle();
      const ready = app.host
        .serviceBus!.peek('ai-events/Subscriptions/trip-service-subscription')
        .filter((m) => m.messageId === `RecommendationReady:${jobId}`);
      expect(ready).toHaveLength(1);
    } finally {
      await channel.stop();
      subscriber.disconnect();
    }
  });

  it('dead-letters a malformed ai-recommendation message with the fields named, and fails a job whose destination has no catalog', async () => {
    const jobId = uniqueId('bad-rec');
    app.host.serviceBus!.send('ai-recommendation', {
      messageId: `m-${jobId}`,
      body: { jobId, userId: data.userIds[0]!, k: 500, type: 'films' },
      contentType: 'application/json',
    });
    await app.host.serviceBus!.whenIdle();
    const dead = app.host
      .serviceBus!.deadLetters('ai-recommendation')
      .find((m) => m.messageId === `m-${jobId}`);
    expect(dead?.deadLetter).toMatchObject({ reason: 'ValidationFailed' });
    expect(String(dead?.deadLetter?.description)).toMatch(/destination: is required/);
    expect(String(dead?.deadLetter?.description)).toMatch(/k: must be at most 50/);

    const submit = await app.postJson('jobs/recommendation', {
      userId: data.userIds[0]!,
      destination: `Nowhere-${run}`,
    });
    const { jobId: missing } = (await submit.json()) as { jobId: string };
    await app.host.durable.waitFor(
      instanceIdOf('recommendation', missing),
      (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus),
      30_000,
    );
    const status = (await (await app.api(`jobs/${missing}`)).json()) as { status: string; error: string };
    expect(status).toMatchObject({ status: 'failed', error: expect.stringContaining('UnknownDestination') });
  });

  it('refreshes recommendations per item in a batch', async () => {
    const submit = await app.postJson('jobs/batch', {
      operation: 'refresh-recommendations',
      items: [
        { userId: data.userIds[30]!, destination: destA },
        { userId: data.userIds[31]!, destination: `Nowhere-${run}` },
      ],
    });
    expect(submit.status).toBe(202);
    const { jobId } = (await submit.json()) as { jobId: string };
    await app.host.durable.waitFor(
      instanceIdOf('batch', jobId),
      (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus),
      30_000,
    );
    const status = (await (await app.api(`jobs/${jobId}`)).json()) as {
      result: { succeeded: number; failed: number; failures: Array<{ index: number; reason: string }> };
    };
    expect(status.result).toMatchObject({ succeeded: 1, failed: 1 });
    expect(status.result.failures[0]!.reason).toMatch(/no places in the catalog/);
    expect((await list(data.userIds[30]!, destA)).cached).toBe(true);
  });

  /** Serves every user twice; production lists are clicked, canary lists at `canaryClicks` share. */
  const traffic = async (canaryClicks: number) => {
    let canary = 0;
    for (const userId of data.userIds.slice(0, 100)) {
      for (let round = 0; round < 2; round++) {
        const served = await list(userId, destA);
        const clickIt =
          served.variant === 'production' ||
          (served.variant === 'canary' && canary++ % 100 < canaryClicks * 100);
        if (clickIt) await click(userId, served);
      }
    }
  };
  const guard = async () => {
    const response = await fetch(`${app.host.baseUrl}/admin/functions/modelCanaryGuard`, {
      method: 'POST',
      body: '{"input": ""}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(202);
  };

  it('rolls a worse canary back on the guard, from the Blob archive when Redis lost the counters', async () => {
    await traffic(0);
    // The health timer archives the counters; then Redis loses them.
    const health = await app.host.fireTimer('redisHealthCheck');
    expect(health.error).toBeUndefined();
    const archive = BlobServiceClient.fromConnectionString(app.azurite.connectionString)
      .getContainerClient(MODELS_CONTAINER)
      .getBlockBlobClient(`models/${MODEL}/feedback.json`);
    expect(await archive.exists()).toBe(true);
    for (const id of await redis.zrange(Keys.feedbackBuckets(MODEL), 0, -1))
      await redis.del(Keys.feedbackCounts(MODEL, id));
    await redis.del(Keys.feedbackBuckets(MODEL));

    await guard();
    const state = await until(async () => {
      const s = await model();
      // The routing record changes first, then the version records (registry.rollback): wait for both.
      const marked = s.versions.find((v) => v.version === versions[1])?.status === 'rolled_back';
      return s.routing.canaryVersion === null && marked ? s : undefined;
    }, 'the rollback');
    expect(state.routing.productionVersion).toBe(versions[0]);
    expect(state.versions.find((v) => v.version === versions[1])!.status).toBe('rolled_back');
    const decision = state.routing.decisions.at(-1)!;
    expect(decision).toMatchObject({ action: 'rollback', version: versions[1] });
    expect(decision.reason).toMatch(/canary significantly worse/);
    const figures = decision.figures as {
      canary: { version: number; ctr: number };
      production: { ctr: number };
    };
    expect(figures.canary.version).toBe(versions[1]);
    expect(figures.canary.ctr).toBeLessThan(figures.production.ctr);
    await app.host.serviceBus!.whenIdle();
    expect(modelEvents().some((id) => id.startsWith(`ModelDeployed:${MODEL}:${versions[1]}:rollback:`))).toBe(
      true,
    );
    // Everyone is back on production, and a rolled-back version is not deployed again.
    expect((await list(data.userIds[0]!, destA)).variant).toBe('production');
    expect((await deploy(versions[1]!, 50)).status).toBe(409);
  });

  it('promotes a canary that is not worse after enough impressions', async () => {
    expect((await deploy(versions[2]!, 50)).status).toBe(200);
    // Too little evidence yet: the guard waits, and says so with its figures.
    await guard();
    const waited = await until(async () => {
      const checks = (await model()).guardChecks.filter(
        (c) => c.action === 'wait' && (c.figures.canary as { version: number }).version === versions[2],
      );
      return checks.length > 0 ? checks : undefined;
    }, 'the guard to wait');
    expect(waited[0]!.reason).toMatch(/needs 30 impressions/);
    expect((await model()).routing.canaryVersion).toBe(versions[2]);
    await traffic(1);
    await guard();
    const state = await until(async () => {
      const s = await model();
      // The routing record changes first, then the version records (registry.deploy): wait for both.
      const settled = s.versions.every((v) => v.status !== 'production' || v.version === versions[2]);
      return s.routing.productionVersion === versions[2] && settled ? s : undefined;
    }, 'the promotion');
    expect(state.routing.canaryVersion).toBeNull();
    expect(state.versions.map((v) => v.status)).toEqual(['retired', 'rolled_back', 'production']);
    const decision = state.routing.decisions.at(-1)!;
    expect(decision).toMatchObject({ action: 'promote', version: versions[2] });
    expect(decision.reason).toMatch(/not worse after \d+ impressions/);
    expect(
      (decision.figures as { canary: { impressions: number } }).canary.impressions,
    ).toBeGreaterThanOrEqual(60);
    expect((await list(data.userIds[0]!, destA)).modelVersion).toBe(versions[2]);
  });
});
