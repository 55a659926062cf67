/**
 * The model-training workflow end to end through the local host with real Redis and Azurite: a
 * synthetic dataset (a blob of JSON lines, or interactions posted into the log) submitted through the
 * job API, gated on data quality, trained one epoch per activity in the worker pool, evaluated
 * beside popularity, registered in the Blob registry, announced on ai-model-events and, with
 * `deploy`, rolled out as production (first version) and then as the canary (second).
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { instanceIdOf } from '../../src/orchestrations/kit/workflow-definition';
import { modelRegistry } from '../../src/lib/models/model-storage';
import { syntheticInteractions } from '../../src/lib/models/synthetic-interactions';
import type { LocalHost } from '../../tools/funchost/host';
import { startAppWithBlob, type AppWithBlob } from './app-with-blob';
import { uniqueId } from '../rig/redis-targets';
import Redis from 'ioredis';
import { Keys } from '../../src/lib/redis/keys';
import { rigStandaloneUrl } from '../rig/rig-env';

jest.setTimeout(180_000);

const SYNTHETIC = { users: 400, places: 120, interactions: 12_000, categories: 6, seed: 7 };
const SMALL = { algorithm: 'als', factors: 16, epochs: 4, seed: 11 };

describe('model training end to end', () => {
  let app: AppWithBlob;
  let host: LocalHost;
  let blobs: BlobServiceClient;
  let redis: Redis;

  beforeAll(async () => {
    app = await startAppWithBlob('TripGenAIModelTrainingTest');
    ({ host } = app);
    blobs = BlobServiceClient.fromConnectionString(app.azurite.connectionString);
    await blobs.getContainerClient('datasets').createIfNotExists();
    redis = new Redis(rigStandaloneUrl());
  });
  afterAll(async () => {
    redis.disconnect();
    await app.stop();
  });

  const datasetBlob = async (name: string, lines: unknown[]) => {
    const body = lines.map((l) => JSON.stringify(l)).join('\n');
    const blob = blobs.getContainerClient('datasets').getBlockBlobClient(name);
    await blob.upload(body, Buffer.byteLength(body));
    return blob.url;
  };
  const finished = (jobId: string) =>
    host.durable.waitFor(
      instanceIdOf('model-training', jobId),
      (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus),
      150_000,
    );
  const modelEvents = (subscription: string, jobId: string) =>
    host
      .serviceBus!.peek(`ai-model-events/Subscriptions/${subscription}`)
      .filter((m) => String(m.messageId).endsWith(`:${jobId}`));
  /** The JSON body of a stored message (the app's sender puts it in an AMQP data section). */
  const bodyOf = (message: { body: unknown }) => {
    const body = message.body as { section: string; bytes?: Buffer; value?: unknown };
    return body.section === 'data'
      ? (JSON.parse(Buffer.from(body.bytes!).toString('utf8')) as unknown)
      : body.value;
  };
  const submit = async (body: unknown) => {
    const response = await app.postJson('jobs/model-training', body);
    expect(response.status).toBe(202);
    return ((await response.json()) as { jobId: string }).jobId;
  };
  const stepsOf = async (jobId: string) =>
    (await redis.xrange(Keys.jobEvents(jobId), '-', '+')).map(
      ([, fields]) =>
        JSON.parse(fields[fields.indexOf('event') + 1] ?? fields[1]!) as Record<string, unknown>,
    );

  it('trains, evaluates beside popularity, registers a version and announces ModelTrained', async () => {
    const modelName = uniqueId('model')
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .slice(0, 60);
    const { rows } = syntheticInteractions(SYNTHETIC);
    const uri = await datasetBlob(`${modelName}.jsonl`, rows);
    const jobId = await submit({
      modelName,
      dataset: { uri },
      hyperparameters: SMALL,
      evaluation: { k: 10 },
    });

    const done = await finished(jobId);
    expect(done.runtimeStatus).toBe('Completed');
    // Its own deadline (MODEL_TRAINING_MAX_PROCESSING_TIME, 6 h), not the 30 min of other AI jobs.
    expect((done.input as { maxProcessingTimeMs: number }).maxProcessingTimeMs).toBe(6 * 3600_000);
    const result = (done.output as { result: Record<string, unknown> }).result as {
      version: number;
      artifactSha256: string;
      evaluation: {
        candidate: { ndcg: number; recall: number };
        popularity: { ndcg: number };
        production: null;
      };
      epochs: Array<{ epoch: number }>;
    };
    expect(result.version).toBe(1);
    expect(result.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    // Planted tastes: the model finds them, popularity cannot.
    expect(result.evaluation.candidate.ndcg).toBeGreaterThan(result.evaluation.popularity.ndcg * 1.5);
    expect(result.evaluation.production).toBeNull();

    const registry = modelRegistry(blobs);
    const record = await registry.getVersion(modelName, 1);
    expect(record).toMatchObject({
      modelName,
      version: 1,
      status: 'candidate',
      jobId,
      artifactSha256: result.artifactSha256,
      algorithm: 'als',
      dataQuality: expect.objectContaining({ passed: true }),
    });
    expect(record!.epochs).toHaveLength(4);
    expect(record!.metrics).toMatchObject({
      k: 10,
      candidate: expect.any(Object),
      popularity: expect.any(Object),
    });

    // Progress: one training checkpoint per epoch, rising, each with a measured estimate.
    const status = (await (await app.api(`jobs/${jobId}`)).json()) as { status: string; jobType: string };
    expect(status).toMatchObject({ status: 'completed', jobType: 'model-training' });
    const training = (await stepsOf(jobId)).filter(
      (e) => (e.data as { step?: string })?.step === 'training' && (e.data as { epoch?: number }).epoch,
    );
    expect(training.map((e) => (e.data as { epoch: number }).epoch)).toEqual([1, 2, 3, 4]);

    await host.serviceBus!.whenIdle();
    for (const subscription of ['model-management-subscription', 'monitoring-service-subscription']) {
      const events = modelEvents(subscription, jobId);
      expect(events.map((m) => m.applicationProperties?.EventType)).toEqual(['ModelTrained']);
      expect(bodyOf(events[0]!)).toMatchObject({
        modelName,
        version: 1,
        artifactSha256: result.artifactSha256,
      });
    }
  });

  it('fails a job whose data fails the quality gate with DataQualityFailed, keeping the report', async () => {
    const modelName = `dq-${uniqueId('m')
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')}`.slice(0, 60);
    const { rows } = syntheticInteractions({ ...SYNTHETIC, interactions: 3000 });
    // A quarter of the rows broken: far above the 1 % schema-violation threshold.
    const broken = rows.map((row, n) => (n % 4 === 0 ? { ...row, action: 'like' } : row));
    const uri = await datasetBlob(`${modelName}.jsonl`, broken);
    const jobId = await submit({ modelName, dataset: { uri }, hyperparameters: SMALL });
    expect((await finished(jobId)).runtimeStatus).toBe('Failed');
    const status = (await (await app.api(`jobs/${jobId}`)).json()) as { status: string; error: string };
    expect(status.status).toBe('failed');
    expect(status.error).toMatch(/^DataQualityFailed: schemaViolations: 25\.0 % of rows/);
    const reportBlob = blobs
      .getContainerClient('ai-models')
      .getBlockBlobClient(`models/${modelName}/data-quality/${jobId}.json`);
    const report = JSON.parse((await reportBlob.downloadToBuffer()).toString('utf8')) as {
      passed: boolean;
      schemaViolations: { count: number };
    };
    expect(report).toMatchObject({ passed: false, schemaViolations: { count: 750 } });
    expect(await modelRegistry(blobs).listVersions(modelName)).toEqual([]);
    await host.serviceBus!.whenIdle();
    expect(modelEvents('monitoring-service-subscription', jobId)).toEqual([]);
  });

  it('fails a job whose dataset blob does not exist at once, as ValidationFailed (not retried)', async () => {
    const uri = blobs.getContainerClient('datasets').getBlockBlobClient('nothing-here.jsonl').url;
    const jobId = await submit({ dataset: { uri }, hyperparameters: SMALL });
    expect((await finished(jobId)).runtimeStatus).toBe('Failed');
    const status = (await (await app.api(`jobs/${jobId}`)).json()) as { error: string };
    expect(status.error).toMatch(/^ValidationFailed: dataset\.uri names no blob/);
  });

  it('checks the rows against the destination catalog: places missing from it fail the gate', async () => {
    const modelName = `cat-${uniqueId('m')
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')}`.slice(0, 60);
    const destination = `Catalog City ${uniqueId('d').replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 90);
    const { rows, placeCategory } = syntheticInteractions({ ...SYNTHETIC, interactions: 3000, destination });
    // The catalog lists all but the last 20 of the 120 places.
    const places = placeCategory.slice(0, 100).map((category, n) => ({
      id: `place-${n}`,
      name: `Place ${n}`,
      lat: 37.5,
      lng: 127,
      category,
      visitMinutes: 60,
      priceLevel: 1,
      rating: 4,
    }));
    const put = await app.api(`catalog/${encodeURIComponent(destination)}`, {
      method: 'PUT',
      body: JSON.stringify({ places }),
      headers: { 'content-type': 'application/json' },
    });
    expect(put.status).toBe(200);
    const uri = await datasetBlob(`${modelName}.jsonl`, rows);
    const jobId = await submit({ modelName, dataset: { uri }, hyperparameters: SMALL });
    expect((await finished(jobId)).runtimeStatus).toBe('Failed');
    const missing = rows.filter((r) => Number(r.placeId.slice('place-'.length)) >= 100).length;
    const status = (await (await app.api(`jobs/${jobId}`)).json()) as { error: string };
    expect(status.error).toContain(
      `DataQualityFailed: missingFromCatalog: ${((missing / rows.length) * 100).toFixed(1)} % of rows are on places not in the catalogue`,
    );
  });

  it('deploys: the first version becomes production, a later one the canary; ModelDeployed is announced', async () => {
    const modelName = `dep-${uniqueId('m')
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')}`.slice(0, 60);
    const { rows } = syntheticInteractions(SYNTHETIC);
    const uri = await datasetBlob(`${modelName}.jsonl`, rows);
    const first = await submit({
      modelName,
      dataset: { uri },
      hyperparameters: SMALL,
      deploy: { canaryPercent: 10 },
    });
    const second = await submit({
      modelName,
      dataset: { uri },
      hyperparameters: { ...SMALL, seed: 12 },
      deploy: { canaryPercent: 20 },
    });
    expect((await finished(first)).runtimeStatus).toBe('Completed');
    const done = await finished(second);
    expect(done.runtimeStatus).toBe('Completed');
    const result = (done.output as { result: { evaluation: { production: { version: number } } } }).result;
    expect(result.evaluation.production).toMatchObject({ version: 1 });

    const registry = modelRegistry(blobs);
    const routing = await registry.getRouting(modelName);
    expect(routing).toMatchObject({ productionVersion: 1, canaryVersion: 2, canaryPercent: 20 });
    expect((await registry.getVersion(modelName, 2))!.status).toBe('canary');
    expect(routing.decisions.map((d) => [d.action, d.version])).toEqual([
      ['promote', 1],
      ['deploy', 2],
    ]);

    await host.serviceBus!.whenIdle();
    const deployed = modelEvents('model-management-subscription', second).filter(
      (m) => m.applicationProperties?.EventType === 'ModelDeployed',
    );
    expect(deployed).toHaveLength(1);
    expect(bodyOf(deployed[0]!)).toMatchObject({
      modelName,
      version: 2,
      action: 'deploy',
      status: 'canary',
      percent: 20,
    });
  });

  it('keeps a candidate much worse than production out of traffic: no canary, no ModelDeployed', async () => {
    const modelName = `gate-${uniqueId('m')
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')}`.slice(0, 60);
    const { rows } = syntheticInteractions(SYNTHETIC);
    const uri = await datasetBlob(`${modelName}.jsonl`, rows);
    const good = await submit({
      modelName,
      dataset: { uri },
      hyperparameters: SMALL,
      deploy: { canaryPercent: 10 },
    });
    // One BPR epoch at a vanishing learning rate: hardly better than its random start.
    const poor = await submit({
      modelName,
      dataset: { uri },
      hyperparameters: { algorithm: 'bpr', factors: 8, epochs: 1, learningRate: 0.000001, seed: 3 },
      deploy: { canaryPercent: 50 },
    });
    expect((await finished(good)).runtimeStatus).toBe('Completed');
    const done = await finished(poor);
    expect(done.runtimeStatus).toBe('Completed');
    const { deployment } = (done.output as { result: { deployment: { deployed: boolean; reason: string } } })
      .result;
    expect(deployment).toMatchObject({
      deployed: false,
      reason: expect.stringMatching(/is below production/),
    });
    const registry = modelRegistry(blobs);
    expect(await registry.getRouting(modelName)).toMatchObject({ productionVersion: 1, canaryVersion: null });
    const record = await registry.getVersion(modelName, 2);
    expect(record).toMatchObject({ status: 'candidate', metrics: { deployGate: { deployed: false } } });
    await host.serviceBus!.whenIdle();
    expect(
      modelEvents('model-management-subscription', poor).map((m) => m.applicationProperties?.EventType),
    ).toEqual(['ModelTrained']);
  });

  it('refuses a bad request with 400 naming each field, and dead-letters a bad queue message', async () => {
    const bad = await app.postJson('jobs/model-training', {
      modelName: 'Bad Name',
      dataset: { from: '2026-01-02T00:00:00Z' },
      hyperparameters: { algorithm: 'svd', factors: 4, epochs: 500 },
      deploy: { canaryPercent: 100 },
    });
    expect(bad.status).toBe(400);
    const issues = ((await bad.json()) as { issues: Array<{ path: string }> }).issues
      .map((i) => i.path)
      .sort();
    expect(issues).toEqual([
      'dataset.to',
      'deploy.canaryPercent',
      'hyperparameters.algorithm',
      'hyperparameters.epochs',
      'hyperparameters.factors',
      'modelName',
    ]);

    const jobId = uniqueId('bad-training');
    host.serviceBus!.send('ai-model-training', {
      messageId: `m-${jobId}`,
      sessionId: 'place-recommender',
      body: { jobId, dataset: { uri: 'not a url' }, hyperparameters: { factors: 1000 } },
      contentType: 'application/json',
    });
    await host.serviceBus!.whenIdle();
    const dead = host.serviceBus!.deadLetters('ai-model-training').find((m) => m.messageId === `m-${jobId}`);
    expect(dead?.deadLetter).toMatchObject({
      reason: 'ValidationFailed',
      description: expect.stringMatching(/dataset\.uri: .*hyperparameters\.factors: must be from 8 to 256/),
    });
    expect(dead?.deliveryCount).toBe(1);
    const status = (await (await app.api(`jobs/${jobId}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ status: 'failed', error: expect.stringContaining('ValidationFailed') });
  });
});
