/**
 * The training activities keep the event loop free (it renews Service Bus locks and answers HTTP in
 * the same process): the dataset step (O(rows) parsing, validation, ordering) and an epoch run in the
 * model worker pool, so the loop's delay p99 stays under 50 ms while they run, on real Azurite.
 */
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BlobServiceClient } from '@azure/storage-blob';
import { DEFAULT_DEPLOY_NDCG_TOLERANCE } from '../../../src/lib/config/model-settings';
import { DEFAULT_CONFIDENCE_WEIGHTS } from '../../../src/lib/models/confidence-weights';
import { DEFAULT_DATA_QUALITY_SETTINGS } from '../../../src/lib/models/data-quality';
import { prepareTrainingDataset } from '../../../src/lib/models/dataset-preparation';
import { matrixFromLog } from '../../../src/lib/models/interaction-log';
import { syntheticInteractions } from '../../../src/lib/models/synthetic-interactions';
import { initialTrainingState } from '../../../src/lib/models/training';
import { trainingDataFrom } from '../../../src/lib/models/training-dataset';
import { ModelWorkerPool } from '../../../src/lib/models/worker-pool';
import { createModelTrainingActivities } from '../../../src/orchestrations/model-training/activities';
import { ModelTrainingNames as Names } from '../../../src/orchestrations/model-training/names';
import { startAzuriteBlob, type AzuriteHandle } from '../../rig/azurite';

jest.setTimeout(300_000);

describe('model-training activities and the event loop', () => {
  let azurite: AzuriteHandle;
  let pool: ModelWorkerPool;
  beforeAll(async () => {
    azurite = await startAzuriteBlob();
    pool = new ModelWorkerPool(); // the app's default: one worker fewer than cores
  });
  afterAll(async () => {
    await pool?.close();
    await azurite?.stop();
  });

  it('stays under 50 ms of delay (p99) while a dataset is prepared and an epoch trains', async () => {
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const container = blobs.getContainerClient('datasets');
    await container.createIfNotExists();
    const { rows } = syntheticInteractions({
      users: 8000,
      places: 1500,
      interactions: 150_000,
      categories: 10,
      seed: 5,
    });
    const text = rows.map((r) => JSON.stringify(r)).join('\n');
    const blob = container.getBlockBlobClient('loop.jsonl');
    await blob.upload(text, Buffer.byteLength(text));
    const settings = {
      dataQuality: DEFAULT_DATA_QUALITY_SETTINGS,
      confidenceWeights: DEFAULT_CONFIDENCE_WEIGHTS,
      deployNdcgTolerance: DEFAULT_DEPLOY_NDCG_TOLERANCE,
      maxProcessingTimeMs: 3600_000,
    };
    const access = { connectionString: azurite.connectionString };
    const activities = createModelTrainingActivities({
      blobService: () => blobs,
      blobAccess: () => access,
      workerPool: () => pool,
      settings: () => settings,
      eventPublisher: () => {
        throw new Error('not used here');
      },
    });
    const run = (name: string, input: unknown) =>
      (activities[name] as (input: unknown, context: unknown) => Promise<{ ok: boolean }>)(input, {});

    // What a busy worker alone does to the loop on this machine (on 2 shared cores the OS delays the
    // main thread while the worker runs): the pool training an epoch of the same size, no activity.
    const matrix = matrixFromLog(trainingDataFrom(rows, DEFAULT_CONFIDENCE_WEIGHTS).log);
    const bare = initialTrainingState(matrix, { factors: 64, seed: 1 });
    await pool.trainEpoch(bare, matrix); // workers warm
    const baseline = await loopDelayWhile(pool.trainEpoch(bare, matrix));
    const dataset = { uri: blob.url };
    // Three times, each beside a fresh baseline, like the epochs below: a garbage collection of this test's
    // own large arrays or a moment of load can delay one look; a step that ran on the loop (seconds,
    // see the inline run below) would delay every one.
    const prepares: Array<{ p99Ms: number; allowed: number; result: unknown }> = [];
    for (const jobId of ['job-a', 'job-b', 'job-1']) {
      const bareAgain = await loopDelayWhile(pool.trainEpoch(bare, matrix));
      const measured = await loopDelayWhile(
        run(Names.activities.prepare, { jobId, modelName: 'loop-model', dataset }),
      );
      prepares.push({ ...measured, allowed: loopAllowance(bareAgain.p99Ms) });
    }
    const prepare = prepares[2]!;
    const hyperparameters = { algorithm: 'als', factors: 64, epochs: 4, seed: 1 };
    const input = { jobId: 'job-1', modelName: 'loop-model', hyperparameters };
    await run(Names.activities.trainEpoch, { ...input, targetEpoch: 1 }); // loads the split, warms the workers
    // Epochs 2-4, each beside a fresh baseline: a moment of heavy load on a shared machine can delay
    // one; an activity that really blocked the loop (the step inline: seconds) would delay all three.
    const epochs: Array<{ p99Ms: number; allowed: number; result: unknown }> = [];
    for (const targetEpoch of [2, 3, 4]) {
      const bareAgain = await loopDelayWhile(pool.trainEpoch(bare, matrix));
      const measured = await loopDelayWhile(run(Names.activities.trainEpoch, { ...input, targetEpoch }));
      epochs.push({ ...measured, allowed: loopAllowance(bareAgain.p99Ms) });
    }
    // The same step on the main thread would block it this long.
    const started = performance.now();
    await prepareTrainingDataset({
      blob: access,
      modelName: 'loop-model',
      jobId: 'inline',
      dataset: { uri: blob.url },
      ...settings,
    });
    const inlineMs = performance.now() - started;

    console.log(
      `event-loop delay p99: prepare ${prepares.map((p) => `${p.p99Ms.toFixed(1)} (allowed ${p.allowed.toFixed(1)})`).join(', ')} ms (inline it took ${inlineMs.toFixed(0)} ms), ` +
        `epochs ${epochs.map((e) => `${e.p99Ms.toFixed(1)} (allowed ${e.allowed.toFixed(1)})`).join(', ')} ms; ` +
        `a bare epoch in the pool ${baseline.p99Ms.toFixed(1)} ms`,
    );
    expect(prepare.result).toMatchObject({ ok: true, value: { passed: true } });
    expect(epochs.map((e) => e.result)).toEqual(
      [2, 3, 4].map((epoch) =>
        expect.objectContaining({ ok: true, value: expect.objectContaining({ epoch, from: epoch - 1 }) }),
      ),
    );
    expect(inlineMs).toBeGreaterThan(500);
    // < 50 ms on a quiet machine; on a loaded one, no more than 50 ms above what a busy worker alone causes.
    expect(prepares.some((p) => p.p99Ms < p.allowed)).toBe(true);
    expect(epochs.some((e) => e.p99Ms < e.allowed)).toBe(true);
  });
});

/** perf_hooks' event-loop delay histogram (5 ms resolution) while `work` runs. */
async function loopDelayWhile<T>(work: Promise<T>) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const result = await work;
  histogram.disable();
  return { result, p99Ms: histogram.percentile(99) / 1e6 };
}

/**
 * The p99 delay allowed while an activity runs: < 50 ms on a quiet machine, or 50 ms above what a busy
 * worker alone does to the loop. On a machine overloaded beyond twice its cores (a CI box running
 * other suites) scheduling alone delays any thread by tens of ms; the check is then that the loop
 * was not blocked: 250 ms at most, where the dataset step on the loop blocks it for seconds.
 */
function loopAllowance(baselineP99Ms: number): number {
  const allowed = 50 + Math.max(0, baselineP99Ms - 10);
  return os.loadavg()[0]! > 2 * os.availableParallelism() ? Math.max(allowed, 250) : allowed;
}
