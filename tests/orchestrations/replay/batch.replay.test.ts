/**
 * The batch orchestration and its chunk sub-orchestration replayed on the local host with scripted
 * activities: chunks at most ModelParallelism at once with more chunks than that, progress rising per
 * chunk, commit before the results blob and BatchCompleted, a chunk that cannot run recording its items
 * as failed after the full retry schedule, nothing after a cancel.
 */
import { EventType } from '../../../tools/funchost/durable/history';
import { BatchNames as Names } from '../../../src/orchestrations/batch/names';
import { KitNames } from '../../../src/orchestrations/kit/kit-names';
import { uniqueId } from '../../rig/redis-targets';
import { checkpointsOf, maxInFlight, shape, startReplayRig, type ReplayRig } from './replay-harness';

const BATCH_SIZE = 10;
const CHUNKS = 5;
const TOTAL = 45; // the last chunk holds 5

describe('batch orchestration (replayed on the local host)', () => {
  let rig: ReplayRig;

  beforeAll(async () => {
    rig = await startReplayRig();
  });
  afterAll(() => rig.stop());
  beforeEach(() => {
    rig.script.reset();
    rig.script.responders.set(Names.activities.stage, () => ({
      total: TOTAL,
      chunkCount: CHUNKS,
      rejected: null,
    }));
    rig.script.responders.set(Names.activities.runChunk, (input) => {
      const size = input.chunkIndex === CHUNKS - 1 ? TOTAL - (CHUNKS - 1) * BATCH_SIZE : BATCH_SIZE;
      return input.failAll
        ? { total: size, succeeded: 0, failed: size, failures: [{ index: 0, reason: input.failAll }] }
        : { total: size, succeeded: size, failed: 0, failures: [] };
    });
    rig.script.responders.set(
      Names.activities.commitResults,
      (input) => `batch-results/${String(input.jobId)}.jsonl`,
    );
  });

  const start = (jobId: string, extra = {}) =>
    rig.start(
      'batch',
      jobId,
      { jobId, userId: 'user-1', operation: 'analyse-preferences', itemsUri: 'https://blob/items.jsonl' },
      { batchSize: BATCH_SIZE, ...extra },
    );

  it('stages, runs the chunks, commits, writes the results, then announces BatchCompleted; seq 1, 2, 3, …', async () => {
    const jobId = uniqueId('batch');
    const instance = await rig.finished(start(jobId));
    expect(instance.runtimeStatus).toBe('Completed');
    const effects = rig.effectsOf(jobId);
    const steps = shape(effects).filter(
      (s) => s !== 'checkpoint:processing_items' && s !== Names.activities.runChunk,
    );
    expect(steps).toEqual([
      'checkpoint:reading_items',
      Names.activities.stage,
      'checkpoint:writing_results',
      KitNames.activities.commit,
      Names.activities.commitResults,
      'checkpoint:announcing_result',
      Names.activities.announce,
      'checkpoint:completed',
    ]);
    expect(
      effects
        .filter((e) => e.name === Names.activities.runChunk)
        .map((e) => e.input.chunkIndex)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4]);
    const checkpoints = checkpointsOf(effects);
    expect(checkpoints.map((c) => c.seq)).toEqual(checkpoints.map((_, i) => i + 1));
    // One progress checkpoint when processing starts, then one per finished chunk, rising to 95.
    const processing = checkpoints.filter((c) => c.step === 'processing_items');
    expect(processing.map((c) => [c.progress, c.data?.done])).toEqual([
      [10, undefined],
      [28, 10],
      [47, 20],
      [66, 30],
      [85, 40],
      [95, 45],
    ]);
    expect(effects.find((e) => e.name === Names.activities.stage)!.input).toMatchObject({
      jobId,
      batchSize: BATCH_SIZE,
    });
    expect(effects.find((e) => e.name === Names.activities.commitResults)!.input).toEqual({
      jobId,
      chunkCount: CHUNKS,
    });
    expect(effects.find((e) => e.name === Names.activities.announce)!.input).toEqual({
      jobId,
      body: {
        jobId,
        userId: 'user-1',
        operation: 'analyse-preferences',
        total: TOTAL,
        succeeded: TOTAL,
        failed: 0,
        failures: [],
        resultUri: `batch-results/${jobId}.jsonl`,
      },
    });
  });

  it('runs at most ModelParallelism chunks at once, each as its own sub-orchestration', async () => {
    for (const parallelism of [1, 2, 3]) {
      const jobId = uniqueId('batch');
      const instance = await rig.finished(start(jobId, { modelParallelism: parallelism }));
      expect(instance.runtimeStatus).toBe('Completed');
      expect(maxInFlight(instance.history, Names.chunkOrchestrator)).toBe(parallelism);
      const children = instance.history.filter(
        (e) => e.EventType === EventType.SubOrchestrationInstanceCreated,
      );
      expect(children.map((e) => e.InstanceId).sort()).toEqual(
        Array.from({ length: CHUNKS }, (_, i) => `batch:${jobId}:chunk:${i}`),
      );
    }
  });

  it('a chunk that keeps failing is retried 5 times (2 s, 4 s, 8 s, 16 s apart), then records its items as failed', async () => {
    const jobId = uniqueId('batch');
    const answer = rig.script.responders.get(Names.activities.runChunk)!;
    rig.script.responders.set(Names.activities.runChunk, (input, attempt) => {
      if (input.chunkIndex === 2 && !input.failAll) throw new Error(`blob throttled (attempt ${attempt})`);
      return answer(input, attempt);
    });
    const instanceId = start(jobId);
    await rig.walk(90_000, 500);
    const instance = await rig.finished(instanceId);
    expect(instance.runtimeStatus).toBe('Completed');
    const chunk2 = rig
      .effectsOf(jobId)
      .filter((e) => e.name === Names.activities.runChunk && e.input.chunkIndex === 2);
    const tries = chunk2.filter((e) => !e.input.failAll);
    expect(tries.map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(tries.slice(1).map((e, i) => e.at - tries[i]!.at)).toEqual([2_000, 4_000, 8_000, 16_000]);
    const failAll = chunk2.filter((e) => e.input.failAll);
    expect(failAll).toHaveLength(1);
    expect(failAll[0]!.input.failAll).toMatch(/^the chunk could not run: .*blob throttled \(attempt 5\)/);
    expect(instance.output).toMatchObject({
      result: { total: TOTAL, succeeded: TOTAL - BATCH_SIZE, failed: BATCH_SIZE },
    });
  });

  it('writes no results and announces nothing when the commit finds the job cancelled', async () => {
    const jobId = uniqueId('batch');
    rig.script.responders.set(KitNames.activities.commit, () => 'cancelled');
    const instance = await rig.finished(start(jobId));
    expect(instance.output).toEqual({ jobId, status: 'cancelled' });
    const effects = shape(rig.effectsOf(jobId));
    expect(effects.slice(effects.indexOf(KitNames.activities.commit))).toEqual([KitNames.activities.commit]);
  });
});
