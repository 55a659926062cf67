/**
 * The recommendation orchestration replayed on the local host with scripted activities: the exact
 * effects and their order (commit before delivery, delivery before RecommendationReady), the seq of
 * each checkpoint, the retry schedule of a failing delivery, and nothing after a cancel.
 */
import { KitNames } from '../../../src/orchestrations/kit/kit-names';
import { RecommendationNames as Names } from '../../../src/orchestrations/recommendation/names';
import { uniqueId } from '../../rig/redis-targets';
import { permanent } from './scripted-app';
import {
  checkpointCancelledAt,
  checkpointsOf,
  shape,
  startReplayRig,
  type ReplayRig,
} from './replay-harness';

const resolved = { items: [{ placeId: 'p-1', score: 0.9 }], source: 'model' };
const list = (recommendationId: string) => ({
  recommendationId,
  modelName: 'place-recommender',
  modelVersion: 3,
  variant: 'production',
  items: [{ placeId: 'p-1', score: 0.9 }],
});

describe('recommendation orchestration (replayed on the local host)', () => {
  let rig: ReplayRig;

  beforeAll(async () => {
    rig = await startReplayRig();
  });
  afterAll(() => rig.stop());
  beforeEach(() => {
    rig.script.reset();
    rig.script.responders.set(Names.activities.compute, () => resolved);
    rig.script.responders.set(Names.activities.deliver, (input) => list(input.recommendationId as string));
  });

  const request = (jobId: string) => ({
    jobId,
    userId: 'user-1',
    destination: 'Seoul',
    type: 'places',
    k: 5,
    schemaVersion: '1.0',
  });
  const start = (jobId: string) => rig.start('recommendation', jobId, request(jobId));

  it('computes, commits, delivers, then announces; completed last; seq 1, 2, 3, …', async () => {
    const jobId = uniqueId('rec');
    const instance = await rig.finished(start(jobId));
    expect(instance.runtimeStatus).toBe('Completed');
    const effects = rig.effectsOf(jobId);
    expect(shape(effects)).toEqual([
      'checkpoint:computing',
      Names.activities.compute,
      KitNames.activities.commit,
      'checkpoint:delivering',
      Names.activities.deliver,
      'checkpoint:announcing_result',
      Names.activities.announce,
      'checkpoint:completed',
    ]);
    const checkpoints = checkpointsOf(effects);
    expect(checkpoints.map((c) => c.seq)).toEqual([1, 2, 3, 4]);
    expect(checkpoints.map((c) => c.progress)).toEqual([20, 70, 95, undefined]);
    const query = { userId: 'user-1', destination: 'Seoul', type: 'places', k: 5 };
    expect(effects.find((e) => e.name === Names.activities.compute)!.input).toEqual({ request: query });
    // The id comes from the job id: a replayed or retried delivery is one list, counted once.
    const recommendationId = `rec.place-recommender.${jobId}`;
    expect(effects.find((e) => e.name === Names.activities.deliver)!.input).toEqual({
      jobId,
      request: query,
      resolved,
      recommendationId,
    });
    expect(effects.find((e) => e.name === Names.activities.announce)!.input).toEqual({
      jobId,
      list: list(recommendationId),
    });
    expect(checkpoints.at(-1)).toMatchObject({
      status: 'completed',
      data: {
        recommendationId,
        modelName: 'place-recommender',
        modelVersion: 3,
        variant: 'production',
        items: 1,
      },
    });
    expect(instance.output).toMatchObject({ status: 'completed', result: list(recommendationId) });
  });

  it('delivers and announces nothing when the commit finds the job cancelled', async () => {
    rig.script.responders.set(KitNames.activities.commit, () => 'cancelled');
    const jobId = uniqueId('rec');
    const instance = await rig.finished(start(jobId));
    expect(instance.output).toEqual({ jobId, status: 'cancelled' });
    const effects = shape(rig.effectsOf(jobId));
    expect(effects.slice(effects.indexOf(KitNames.activities.commit))).toEqual([KitNames.activities.commit]);
  });

  it('announces nothing when the delivering checkpoint finds the job cancelled', async () => {
    rig.script.responders.set(
      KitNames.activities.checkpoint,
      checkpointCancelledAt((update) => update.step === 'delivering'),
    );
    const jobId = uniqueId('rec');
    const instance = await rig.finished(start(jobId));
    expect(instance.output).toEqual({ jobId, status: 'cancelled' });
    const effects = shape(rig.effectsOf(jobId));
    expect(effects.slice(effects.indexOf('checkpoint:delivering'))).toEqual(['checkpoint:delivering']);
  });

  it('retries a failing delivery 5 times, 2 s, 4 s, 8 s and 16 s apart, then fails the job unannounced', async () => {
    rig.script.responders.set(Names.activities.deliver, () => {
      throw new Error('Redis failover in progress');
    });
    const jobId = uniqueId('rec');
    const instanceId = start(jobId);
    await rig.walk(60_000, 500);
    const instance = await rig.finished(instanceId);
    expect(instance.runtimeStatus).toBe('Failed');
    const attempts = rig.effectsOf(jobId).filter((e) => e.name === Names.activities.deliver);
    expect(attempts.map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5]);
    const times = attempts.map((e) => e.at);
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(shape(rig.effectsOf(jobId)).slice(-2)).toEqual([Names.activities.deliver, 'checkpoint:failed']);
    expect(checkpointsOf(rig.effectsOf(jobId)).at(-1)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^ActivityFailed: .*Redis failover/),
    });
  });

  it('fails at once when the list cannot be computed: one attempt, nothing committed or delivered', async () => {
    rig.script.responders.set(Names.activities.compute, () => permanent('ModelUnavailable', 'no model'));
    const jobId = uniqueId('rec');
    const instance = await rig.finished(start(jobId));
    expect(instance.runtimeStatus).toBe('Failed');
    expect(shape(rig.effectsOf(jobId))).toEqual([
      'checkpoint:computing',
      Names.activities.compute,
      'checkpoint:failed',
    ]);
    expect(checkpointsOf(rig.effectsOf(jobId)).at(-1)).toMatchObject({
      status: 'failed',
      error: 'ModelUnavailable: no model',
    });
  });
});
