/**
 * The batch workflow end to end through the local host: a batch submitted through the generic job
 * API, staged in chunks of BatchSize, the chunks run as sub-orchestrations, every item accounted for
 * in the result blob (real Azurite) and the job's status, BatchCompleted announced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import type { LocalHost } from '../../tools/funchost/host';
import { instanceIdOf } from '../../src/orchestrations/kit/workflow-definition';
import type { AzuriteHandle } from '../rig/azurite';
import { startAppWithBlob, type AppWithBlob } from './app-with-blob';
import { uniqueId } from '../rig/redis-targets';
import { rigStandaloneUrl } from '../rig/rig-env';
import Redis from 'ioredis';
import { Keys } from '../../src/lib/redis/keys';

const root = path.resolve(__dirname, '../..');
const sample = JSON.parse(fs.readFileSync(path.join(root, 'samples/trip-request.json'), 'utf8')) as Record<
  string,
  unknown
> & { places: Array<Record<string, unknown>> };

interface BatchStatus {
  status: string;
  jobType: string;
  result: {
    total: number;
    succeeded: number;
    failed: number;
    resultUri: string;
    failures: Array<{ index: number; itemId: string; reason: string }>;
  };
}

describe('batch end to end', () => {
  let app: AppWithBlob;
  let host: LocalHost;
  let azurite: AzuriteHandle;

  beforeAll(async () => {
    app = await startAppWithBlob('TripGenAIBatchTest', {
      env: { AI_BATCH_SIZE: '40', AI_MODEL_PARALLELISM: '2' },
    });
    ({ host, azurite } = app);
  });
  afterAll(() => app.stop());

  const api = (route: string, init?: RequestInit) => app.api(route, init);
  const postJson = (route: string, body: unknown, headers: Record<string, string> = {}) =>
    app.postJson(route, body, headers);
  const run = async (body: unknown): Promise<{ jobId: string; status: BatchStatus }> => {
    const response = await postJson('jobs/batch', body);
    expect(response.status).toBe(202);
    const { jobId } = (await response.json()) as { jobId: string };
    await host.durable.waitFor(
      instanceIdOf('batch', jobId),
      (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus),
      25_000,
    );
    return { jobId, status: (await (await api(`jobs/${jobId}`)).json()) as BatchStatus };
  };
  const resultLines = async (uri: string) => {
    const name = decodeURIComponent(new URL(uri).pathname.split('/').slice(3).join('/'));
    const blob = BlobServiceClient.fromConnectionString(azurite.connectionString)
      .getContainerClient('ai-batch-results')
      .getBlobClient(name);
    return (await blob.downloadToBuffer())
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { index: number; ok: boolean; reason?: string });
  };

  it('analyses 100 users in chunks of BatchSize as sub-orchestrations, at most ModelParallelism at once, and accounts for every item', async () => {
    const users = Array.from({ length: 100 }, () => uniqueId('u'));
    await postJson('interactions', {
      interactions: users.slice(0, 10).map((userId) => ({
        userId,
        placeId: 'gyeongbokgung',
        action: 'visit',
        at: new Date(Date.now() - 3600_000).toISOString(),
        destination: 'Seoul',
        category: 'palace',
      })),
    });
    const { jobId, status } = await run({
      operation: 'analyse-preferences',
      items: users.map((userId) => ({ userId })),
    });
    expect(status).toMatchObject({ status: 'completed', jobType: 'batch' });
    expect(status.result).toMatchObject({ total: 100, succeeded: 100, failed: 0, failures: [] });
    const lines = await resultLines(status.result.resultUri);
    expect(lines.map((l) => l.index)).toEqual(users.map((_, i) => i));
    // 100 items in chunks of 40: three sub-orchestrations, never more than two running at once.
    const chunks = host.durable
      .list()
      .filter((i) => i.instanceId.startsWith(`${instanceIdOf('batch', jobId)}:chunk:`));
    expect(chunks).toHaveLength(3);
    const spans = chunks.map((c) => [Date.parse(c.createdTime), Date.parse(c.lastUpdatedTime)] as const);
    const overlapping = spans.map(([s]) => spans.filter(([a, b]) => a <= s && s < b).length);
    expect(Math.max(...overlapping)).toBeLessThanOrEqual(2);
    expect((await (await api(`users/${users[0]}/profile`)).json()) as object).toMatchObject({
      categories: [expect.objectContaining({ category: 'palace' })],
    });
    await host.serviceBus!.whenIdle();
    const announced = host
      .serviceBus!.peek('ai-events/Subscriptions/analytics-service-subscription')
      .filter((m) => m.messageId === `BatchCompleted:${jobId}`);
    expect(announced).toHaveLength(1);
  });

  it('generates trips and caches each schedule; an infeasible trip fails alone, with its reason', async () => {
    const trip = (i: number, feasible: boolean) => ({
      ...sample,
      tripId: uniqueId(`trip${i}`),
      userId: 'batch-user',
      sessionId: undefined,
      ...(feasible
        ? {}
        : {
            // Every place costs more than the budget and none is a must-visit (must-visits are kept
            // whatever they cost): the planner has nothing to choose from.
            budgetPerDay: 1_000,
            mustVisit: undefined,
            places: sample.places.map((p) => ({ ...p, priceLevel: 4 })),
          }),
    });
    const items = [trip(0, true), trip(1, false), trip(2, true)];
    const { status } = await run({ operation: 'generate-trips', items });
    expect(status.result).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
    const { failures } = status.result as { failures: Array<{ index: number; reason: string }> };
    expect(failures).toEqual([
      expect.objectContaining({
        index: 1,
        reason: expect.stringMatching(/every candidate is over budgetPerDay/),
      }),
    ]);
    expect((await api(`trips/${items[0]!.tripId}/schedule`)).status).toBe(200);
    expect((await api(`trips/${items[1]!.tripId}/schedule`)).status).toBe(404);
    expect((await api(`trips/${items[2]!.tripId}/schedule`)).status).toBe(200);
  });

  it("a generate-trips item for a trip another user owns fails alone and leaves that trip's schedule alone", async () => {
    const owned = uniqueId('owned-trip');
    const redis = new Redis(rigStandaloneUrl());
    try {
      await redis.set(Keys.tripOwner(owned), 'alice', 'EX', 600);
    } finally {
      redis.disconnect();
    }
    const item = (tripId: string) => ({ ...sample, tripId, userId: 'bob', sessionId: undefined });
    const free = uniqueId('free-trip');
    const { status } = await run({ operation: 'generate-trips', items: [item(owned), item(free)] });
    expect(status.result).toMatchObject({ total: 2, succeeded: 1, failed: 1 });
    expect(status.result.failures).toEqual([
      expect.objectContaining({
        index: 0,
        reason: `trip ${owned} belongs to another user; use a new tripId`,
      }),
    ]);
    expect((await api(`trips/${owned}/schedule`)).status).toBe(404);
    expect((await api(`trips/${free}/schedule`)).status).toBe(200);
  });

  it('reads items from a blob of JSON lines, failing each bad line by number and running the rest', async () => {
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
      'inputs',
    );
    await container.createIfNotExists();
    const lines = [
      JSON.stringify({ userId: 'a1' }),
      '{not json',
      JSON.stringify({ userId: 'a 2' }),
      JSON.stringify({ userId: 'a3' }),
    ];
    const blob = container.getBlockBlobClient(`${uniqueId('items')}.jsonl`);
    await blob.upload(lines.join('\n'), Buffer.byteLength(lines.join('\n')));
    const { status } = await run({ operation: 'analyse-preferences', itemsUri: blob.url });
    expect(status.result).toMatchObject({ total: 4, succeeded: 2, failed: 2 });
    expect(status.result.failures.map((f) => f.index)).toEqual([1, 2]);
    expect((await resultLines(status.result.resultUri)).filter((l) => !l.ok)).toHaveLength(2);
  });

  it('refuses what it cannot run at the edge, and runs a redelivered batch once', async () => {
    const refused = await postJson('jobs/batch', {
      operation: 'refresh-recommendations',
      items: [{ userId: 'u' }],
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toMatch(/destination/);
    const bad = await postJson('jobs/batch', {
      operation: 'analyse-preferences',
      items: [{ userId: 'ok' }, { user: 'x' }],
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['items[1]']),
    );

    const jobId = uniqueId('batch');
    const message = { jobId, operation: 'analyse-preferences', items: [{ userId: 'twice' }] };
    // The queue has no duplicate detection: both copies reach the trigger; the job id makes one run.
    host.serviceBus!.send('ai-batch-processing', {
      messageId: 'm1',
      body: message,
      contentType: 'application/json',
    });
    host.serviceBus!.send('ai-batch-processing', {
      messageId: 'm2',
      body: message,
      contentType: 'application/json',
    });
    await host.serviceBus!.whenIdle();
    await host.durable.waitFor(instanceIdOf('batch', jobId), (i) => i.runtimeStatus === 'Completed', 30_000);
    expect(host.durable.list().filter((i) => i.instanceId === instanceIdOf('batch', jobId))).toHaveLength(1);
    const chunkRuns = host.durable
      .list()
      .filter((i) => i.instanceId.startsWith(`${instanceIdOf('batch', jobId)}:chunk:`));
    expect(chunkRuns).toHaveLength(1);
  });
});
