/**
 * Training survives a killed host. The real app runs on the local host in a child process (Durable
 * and Service Bus state persisted in Redis, Blob in the test's own Azurite). A first job trains
 * uninterrupted; a second, identical (same data, model name and seed), is killed with SIGKILL while
 * it trains; a new host process on the same state finishes it. Its epochs continue from the last
 * checkpoint (each activity one epoch from the one before), and the registered model is bit for bit
 * the uninterrupted one: the same artifactSha256.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import Redis from 'ioredis';
import { MODELS_CONTAINER, modelRegistry } from '../../src/lib/models/model-storage';
import { syntheticInteractions } from '../../src/lib/models/synthetic-interactions';
import { Keys } from '../../src/lib/redis/keys';
import { startHostProcess, type HostProcess } from '../funchost/restart/host-process-handle';
import { startAzuriteBlob, type AzuriteHandle } from '../rig/azurite';
import { uniqueId } from '../rig/redis-targets';
import { rigStandaloneUrl } from '../rig/rig-env';

jest.setTimeout(400_000);

const EPOCHS = 30;
const HYPERPARAMETERS = { algorithm: 'als', factors: 64, epochs: EPOCHS, seed: 2026 };

describe('a host killed (SIGKILL) while a model trains', () => {
  const redisUrl = rigStandaloneUrl();
  const keyPrefix = `training-restart:${uniqueId('hub')}:`;
  let azurite: AzuriteHandle;
  let blobs: BlobServiceClient;
  let redis: Redis;
  let host: HostProcess | undefined;
  const options = () => ({
    redisUrl,
    keyPrefix,
    taskHubName: 'TripGenTrainingRestartTest',
    env: { AzureWebJobsStorage: azurite.connectionString },
  });

  beforeAll(async () => {
    azurite = await startAzuriteBlob();
    blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    await host?.kill();
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await azurite.stop();
  });

  const statusOf = async (jobId: string) => (await redis.hget(Keys.jobStatus(jobId), 'status')) ?? 'missing';
  const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${what} did not happen in ${timeoutMs} ms:\n${host?.log() ?? ''}`);
  };
  const checkpointEpoch = async (modelName: string, jobId: string) => {
    try {
      const properties = await blobs
        .getContainerClient(MODELS_CONTAINER)
        .getBlockBlobClient(`checkpoints/${modelName}/${jobId}.bin`)
        .getProperties();
      return Number(properties.metadata?.epoch ?? 0);
    } catch {
      return 0;
    }
  };
  const submit = async (body: unknown) => {
    const response = await fetch(`${host!.baseUrl}/api/jobs/model-training`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as { jobId: string }).jobId;
  };

  it('resumes from the last checkpoint and registers the same artifactSha256 as an uninterrupted run', async () => {
    const modelName = 'restart-model';
    const { rows } = syntheticInteractions({
      users: 3000,
      places: 600,
      interactions: 90_000,
      categories: 8,
      seed: 3,
    });
    const container = blobs.getContainerClient('datasets');
    await container.createIfNotExists();
    const text = rows.map((r) => JSON.stringify(r)).join('\n');
    const blob = container.getBlockBlobClient('restart.jsonl');
    await blob.upload(text, Buffer.byteLength(text));
    const request = { modelName, dataset: { uri: blob.url }, hyperparameters: HYPERPARAMETERS };

    host = await startHostProcess(options());
    const reference = await submit(request);
    await waitFor(
      'the uninterrupted job to complete',
      async () => (await statusOf(reference)) === 'completed',
      240_000,
    );

    const interrupted = await submit(request);
    await waitFor(
      'a few epochs of the second job',
      async () => (await checkpointEpoch(modelName, interrupted)) >= 3,
      120_000,
    );
    const killedAt = await checkpointEpoch(modelName, interrupted);
    await host.kill();
    host = undefined;
    expect(killedAt).toBeLessThan(EPOCHS - 2);
    expect(await statusOf(interrupted)).toBe('processing');

    host = await startHostProcess(options());
    expect(host.resumedInstances).toBeGreaterThanOrEqual(1);
    await waitFor(
      'the interrupted job to finish',
      async () => ['completed', 'failed'].includes(await statusOf(interrupted)),
      240_000,
    );
    expect({ status: await statusOf(interrupted), log: '' }).toEqual({ status: 'completed', log: '' });

    const job = (await (await fetch(`${host.baseUrl}/api/jobs/${interrupted}`)).json()) as {
      result: {
        version: number;
        artifactSha256: string;
        epochs: Array<{ epoch: number; from: number | null }>;
      };
    };
    // Every epoch once, each trained from the checkpoint before it (never from 0 again), or found
    // already done by the activity that the kill interrupted after its checkpoint was written.
    expect(job.result.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, n) => n + 1));
    for (const e of job.result.epochs) expect([e.epoch - 1, null]).toContain(e.from);

    const registry = modelRegistry(blobs);
    const versions = await registry.listVersions(modelName);
    expect(versions.map((v) => [v.jobId, v.version])).toEqual([
      [reference, 1],
      [interrupted, 2],
    ]);
    expect(versions[1]!.artifactSha256).toBe(versions[0]!.artifactSha256);
    expect(job.result.artifactSha256).toBe(versions[0]!.artifactSha256);
    expect(versions[1]!.epochs).toHaveLength(EPOCHS);
    expect(host.log()).not.toMatch(/Non-deterministic/);
    await host.terminate();
    host = undefined;
  });
});
