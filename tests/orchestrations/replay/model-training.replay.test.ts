/**
 * The model-training orchestration replayed on the local host with scripted activities: the exact
 * effects and their order (one epoch activity per epoch, commit before the version is registered,
 * registered before deployed, deployed before announced), the seq and progress of each checkpoint,
 * the data-quality gate, the retry schedule of a failing epoch, nothing after a cancel, and a host
 * restart in the middle of training resuming without running a finished epoch again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KitNames } from '../../../src/orchestrations/kit/kit-names';
import { ModelTrainingNames as Names } from '../../../src/orchestrations/model-training/names';
import { uniqueId } from '../../rig/redis-targets';
import {
  checkpointCancelledAt,
  checkpointsOf,
  shape,
  startReplayRig,
  until,
  type ReplayRig,
} from './replay-harness';

const A = Names.activities;
const report = { passed: true, reasons: [] as string[], rows: 500 };
const evaluation = { candidate: { ndcg: 0.42 }, production: { ndcg: 0.31 }, popularity: { ndcg: 0.2 } };
const registered = { version: 7, status: 'candidate', artifactSha256: 'sha-7', datasetFingerprint: 'fp-1' };
const deployed = {
  deployed: true,
  status: 'canary',
  percent: 10,
  reason: 'ndcg above production',
  figures: {},
};

/** Answers every training activity with a plausible value; epoch n took n seconds. */
function scriptTraining(rig: ReplayRig): void {
  rig.script.reset();
  rig.script.responders.set(A.prepare, (input) => ({
    report,
    reportUri: `ai-models/models/${input.modelName as string}/data-quality/${input.jobId as string}.json`,
    passed: true,
    rows: 500,
    users: 40,
    places: 60,
    datasetFingerprint: 'fp-1',
  }));
  rig.script.responders.set(A.trainEpoch, (input) => {
    const epoch = input.targetEpoch as number;
    return { epoch, loss: 1 / epoch, seconds: epoch, from: epoch - 1 };
  });
  rig.script.responders.set(A.evaluate, () => evaluation);
  rig.script.responders.set(A.register, () => registered);
  rig.script.responders.set(A.deploy, () => deployed);
}

const request = (jobId: string, modelName: string, extra: Record<string, unknown> = {}) => ({
  jobId,
  userId: 'user-1',
  schemaVersion: '1.0',
  modelName,
  dataset: { from: '2026-05-01', to: '2026-06-01' },
  hyperparameters: { epochs: 3 },
  evaluation: { k: 10 },
  ...extra,
});

describe('model-training orchestration (replayed on the local host)', () => {
  let rig: ReplayRig;

  beforeAll(async () => {
    rig = await startReplayRig();
  });
  afterAll(() => rig.stop());
  beforeEach(() => scriptTraining(rig));

  const start = (jobId: string, extra: Record<string, unknown> = {}) => {
    const modelName = `model-${jobId}`;
    return rig.start('model-training', jobId, request(jobId, modelName, extra), { orderingKey: modelName });
  };

  it('prepares, trains one epoch per activity, evaluates, commits, registers, deploys, then announces; seq 1, 2, 3, …', async () => {
    const jobId = uniqueId('train');
    const modelName = `model-${jobId}`;
    const instance = await rig.finished(start(jobId, { deploy: { canaryPercent: 10 } }));
    expect(instance.runtimeStatus).toBe('Completed');
    const effects = rig.effectsOf(jobId);
    expect(shape(effects)).toEqual([
      'checkpoint:preparing_data',
      A.prepare,
      'checkpoint:checking_data_quality',
      A.trainEpoch,
      'checkpoint:training',
      A.trainEpoch,
      'checkpoint:training',
      A.trainEpoch,
      'checkpoint:training',
      'checkpoint:evaluating',
      A.evaluate,
      'checkpoint:registering',
      KitNames.activities.commit,
      A.register,
      'checkpoint:deploying',
      A.deploy,
      'checkpoint:announcing_result',
      A.announce,
      'checkpoint:completed',
      KitNames.activities.handOver,
    ]);
    const epochs = effects.filter((e) => e.name === A.trainEpoch).map((e) => e.input);
    expect(epochs.map((e) => e.targetEpoch)).toEqual([1, 2, 3]);
    expect(epochs[0]).toMatchObject({ jobId, modelName, hyperparameters: { epochs: 3, algorithm: 'als' } });
    const checkpoints = checkpointsOf(effects);
    expect(checkpoints.map((c) => c.seq)).toEqual(checkpoints.map((_, i) => i + 1));
    // Training rises from 10 to 85; the ETA is ceil(mean epoch seconds so far x epochs left + 20 s):
    // 1 x 2 + 20, ceil(1.5 x 1 + 20), 2 x 0 + 20.
    const training = checkpoints.filter((c) => c.step === 'training');
    expect(training.map((c) => [c.progress, c.estimatedTime])).toEqual([
      [35, 22],
      [60, 22],
      [85, 20],
    ]);
    expect(training.map((c) => c.data)).toEqual([
      { epoch: 1, epochs: 3, loss: 1, epochSeconds: 1 },
      { epoch: 2, epochs: 3, loss: 0.5, epochSeconds: 2 },
      { epoch: 3, epochs: 3, loss: 1 / 3, epochSeconds: 3 },
    ]);
    expect(effects.find((e) => e.name === A.deploy)!.input).toEqual({
      modelName,
      version: 7,
      canaryPercent: 10,
      candidateNdcg: 0.42,
      productionNdcg: 0.31,
    });
    const announced = effects.find((e) => e.name === A.announce)!.input as {
      events: Array<{ eventType: string; messageId: string; body: Record<string, unknown> }>;
    };
    expect(announced.events.map((e) => [e.eventType, e.messageId])).toEqual([
      ['ModelTrained', `ModelTrained:${jobId}`],
      ['ModelDeployed', `ModelDeployed:${jobId}`],
    ]);
    expect(announced.events[0]!.body).toMatchObject({ version: 7, status: 'canary', metrics: evaluation });
    expect(announced.events[1]!.body).toMatchObject({ action: 'deploy', status: 'canary', percent: 10 });
    expect(checkpoints.at(-1)).toMatchObject({ status: 'completed' });
    expect(instance.output).toMatchObject({
      status: 'completed',
      result: { version: 7, epochs: [{ epoch: 1 }, { epoch: 2 }, { epoch: 3 }], deployment: deployed },
    });
  });

  it('without deploy: registers a candidate and announces ModelTrained only', async () => {
    const jobId = uniqueId('train');
    await rig.finished(start(jobId));
    const effects = rig.effectsOf(jobId);
    expect(shape(effects)).not.toContain(A.deploy);
    expect(shape(effects)).not.toContain('checkpoint:deploying');
    const announced = effects.find((e) => e.name === A.announce)!.input as {
      events: Array<{ eventType: string; body: Record<string, unknown> }>;
    };
    expect(announced.events.map((e) => e.eventType)).toEqual(['ModelTrained']);
    expect(announced.events[0]!.body).toMatchObject({ status: 'candidate' });
  });

  it('fails with DataQualityFailed when the gate fails: the reasons and report named, nothing trained or registered', async () => {
    rig.script.responders.set(A.prepare, (input) => ({
      report: { passed: false, reasons: ['too few rows: 3 < 100', 'too few users: 1 < 10'], rows: 3 },
      reportUri: `ai-models/models/${input.modelName as string}/data-quality/${input.jobId as string}.json`,
      passed: false,
      rows: 3,
      users: 1,
      places: 2,
      datasetFingerprint: null,
    }));
    const jobId = uniqueId('train');
    const instance = await rig.finished(start(jobId));
    expect(instance.runtimeStatus).toBe('Failed');
    const effects = rig.effectsOf(jobId);
    expect(shape(effects)).toEqual([
      'checkpoint:preparing_data',
      A.prepare,
      'checkpoint:checking_data_quality',
      'checkpoint:failed',
      KitNames.activities.handOver,
    ]);
    // Other services read the report from the data-quality checkpoint, pass or fail.
    expect(checkpointsOf(effects)[1]).toMatchObject({
      data: {
        dataQuality: { passed: false },
        dataQualityUri: `ai-models/models/model-${jobId}/data-quality/${jobId}.json`,
      },
    });
    expect(checkpointsOf(effects).at(-1)).toMatchObject({
      status: 'failed',
      error:
        `DataQualityFailed: too few rows: 3 < 100; too few users: 1 < 10 ` +
        `(report: ai-models/models/model-${jobId}/data-quality/${jobId}.json)`,
    });
  });

  it('retries a failing epoch 5 times, 2 s, 4 s, 8 s and 16 s apart, never re-running finished epochs, then fails', async () => {
    const answer = rig.script.responders.get(A.trainEpoch)!;
    rig.script.responders.set(A.trainEpoch, (input, attempt) => {
      if (input.targetEpoch === 2) throw new Error('worker pool restarted');
      return answer(input, attempt);
    });
    const jobId = uniqueId('train');
    const instanceId = start(jobId);
    await rig.walk(60_000, 500);
    const instance = await rig.finished(instanceId);
    expect(instance.runtimeStatus).toBe('Failed');
    const runs = rig.effectsOf(jobId).filter((e) => e.name === A.trainEpoch);
    expect(runs.map((e) => [e.input.targetEpoch, e.attempt])).toEqual([
      [1, 1],
      [2, 1],
      [2, 2],
      [2, 3],
      [2, 4],
      [2, 5],
    ]);
    const times = runs.slice(1).map((e) => e.at);
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(shape(rig.effectsOf(jobId))).not.toContain(A.evaluate);
    expect(shape(rig.effectsOf(jobId))).not.toContain(KitNames.activities.commit);
  });

  it('registers and announces nothing when the commit finds the job cancelled', async () => {
    rig.script.responders.set(KitNames.activities.commit, () => 'cancelled');
    const jobId = uniqueId('train');
    const instance = await rig.finished(start(jobId, { deploy: { canaryPercent: 10 } }));
    expect(instance.output).toEqual({ jobId, status: 'cancelled' });
    const effects = shape(rig.effectsOf(jobId));
    expect(effects.slice(effects.indexOf(KitNames.activities.commit))).toEqual([
      KitNames.activities.commit,
      KitNames.activities.handOver,
    ]);
  });

  it('trains no further epoch once a training checkpoint finds the job cancelled', async () => {
    rig.script.responders.set(
      KitNames.activities.checkpoint,
      checkpointCancelledAt(
        (update) => update.step === 'training' && (update.data as { epoch?: number }).epoch === 1,
      ),
    );
    const jobId = uniqueId('train');
    const instance = await rig.finished(start(jobId));
    expect(instance.output).toEqual({ jobId, status: 'cancelled' });
    const effects = shape(rig.effectsOf(jobId));
    expect(effects.filter((e) => e === A.trainEpoch)).toHaveLength(1);
    expect(effects.slice(effects.indexOf('checkpoint:training'))).toEqual([
      'checkpoint:training',
      KitNames.activities.handOver,
    ]);
  });
});

describe('model-training orchestration across a host restart', () => {
  let directory: string;
  const rigs: ReplayRig[] = [];

  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'replay-training-'));
  });
  afterAll(async () => {
    for (const rig of rigs) await rig.stop().catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
  });

  it('resumes at the epoch it was on: the finished epochs and the data preparation are not run again', async () => {
    const first = await startReplayRig({ persistence: { directory } });
    rigs.push(first);
    scriptTraining(first);
    const answer = first.script.responders.get(A.trainEpoch)!;
    // Epoch 3 fails once: the host stops while its retry timer is pending.
    first.script.responders.set(A.trainEpoch, (input, attempt) => {
      if (input.targetEpoch === 3) throw new Error('host going down');
      return answer(input, attempt);
    });
    const jobId = uniqueId('train');
    const modelName = `model-${jobId}`;
    const instanceId = first.start(
      'model-training',
      jobId,
      request(jobId, modelName, { hyperparameters: { epochs: 4 } }),
      { orderingKey: modelName },
    );
    await until(
      () => first.script.effects.some((e) => e.name === A.trainEpoch && e.input.targetEpoch === 3),
      'epoch 3 attempted',
    );
    await first.host.durable.whenIdle();
    await first.host.durable.flush();
    await first.stop();
    rigs.pop();
    const ranBefore = first.script.effects
      .filter((e) => e.name === A.trainEpoch)
      .map((e) => e.input.targetEpoch);
    expect(ranBefore).toEqual([1, 2, 3]);

    const second = await startReplayRig({ persistence: { directory }, clock: first.clock });
    rigs.push(second);
    scriptTraining(second);
    await second.walk(5_000, 500);
    const instance = await second.finished(instanceId);
    expect(instance.runtimeStatus).toBe('Completed');
    const after = shape(second.script.effects);
    expect(after).not.toContain(A.prepare);
    expect(
      second.script.effects.filter((e) => e.name === A.trainEpoch).map((e) => e.input.targetEpoch),
    ).toEqual([3, 4]);
    expect(instance.output).toMatchObject({
      result: { epochs: [{ epoch: 1 }, { epoch: 2 }, { epoch: 3 }, { epoch: 4 }] },
    });
    expect(after.slice(-3)).toEqual([A.announce, 'checkpoint:completed', KitNames.activities.handOver]);
  });
});
