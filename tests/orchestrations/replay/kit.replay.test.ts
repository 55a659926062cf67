/**
 * The kit's orchestration wrapper and steps (jobOrchestration, JobSteps.awaitTurn, the deadline),
 * replayed on the local host with scripted activities: a job waits for the one before it in its
 * ordering line, runs nothing of its own until its turn, and wakes early on PredecessorFinished.
 */
import { EventType } from '../../../tools/funchost/durable/history';
import { KitNames } from '../../../src/orchestrations/kit/kit-names';
import { instanceIdOf } from '../../../src/orchestrations/kit/workflow-definition';
import { AnalysisNames as Names } from '../../../src/orchestrations/analysis/names';
import { uniqueId } from '../../rig/redis-targets';
import { permanent } from './scripted-app';
import { checkpointsOf, shape, startReplayRig, THIRTY_MINUTES, type ReplayRig } from './replay-harness';

describe('the kit: waiting for the turn, the deadline, the end (replayed on the local host)', () => {
  let rig: ReplayRig;

  beforeAll(async () => {
    rig = await startReplayRig();
  });
  afterAll(() => rig.stop());
  beforeEach(() => rig.script.reset());

  // The analysis workflow is the kit's smallest user: a trip report is one activity.
  const startAfter = (jobId: string, after: string) =>
    rig.start(
      'analysis',
      jobId,
      { jobId, userId: 'user-1', analysisType: 'trip', tripId: `trip-${jobId}` },
      { after, orderingKey: 'user-1' },
    );
  const turnAnswers = (...answers: string[]) => {
    rig.script.responders.set(KitNames.activities.turn, () => answers.shift() ?? 'go');
  };

  it('polls the job before it 1 s, 2 s, 4 s … apart, records waiting_for_turn once, and starts only when it is its turn', async () => {
    const jobId = uniqueId('kit');
    turnAnswers('wait', 'wait', 'wait');
    const startedAt = rig.clock.now();
    const instanceId = startAfter(jobId, 'job-before');
    await rig.walk(10_000, 500);
    const instance = await rig.finished(instanceId);
    expect(instance.runtimeStatus).toBe('Completed');
    const effects = rig.effectsOf(jobId);
    const turns = effects.filter((e) => e.name === KitNames.activities.turn);
    expect(turns.map((e) => e.at - startedAt)).toEqual([0, 1_000, 3_000, 7_000]);
    expect(turns[0]!.input).toEqual({ workflow: 'analysis', jobId, after: 'job-before' });
    expect(shape(effects)).toEqual([
      KitNames.activities.turn,
      'checkpoint:waiting_for_turn',
      KitNames.activities.turn,
      KitNames.activities.turn,
      KitNames.activities.turn,
      'checkpoint:reading_schedule',
      Names.activities.tripReport,
      'checkpoint:analysing',
      KitNames.activities.commit,
      'checkpoint:announcing_result',
      Names.activities.announce,
      'checkpoint:completed',
      KitNames.activities.handOver,
    ]);
    expect(checkpointsOf(effects)[0]).toMatchObject({
      status: 'queued',
      step: 'waiting_for_turn',
      seq: 1,
      data: { after: 'job-before' },
    });
    expect(checkpointsOf(effects).map((c) => c.seq)).toEqual([1, 2, 3, 4, 5]);
    // The deadline starts when the turn comes, not when the job was queued.
    const deadline = instance.history.find(
      (e) =>
        e.EventType === EventType.TimerCreated && Date.parse(String(e.FireAt)) - startedAt >= THIRTY_MINUTES,
    )!;
    expect(Date.parse(String(deadline.FireAt))).toBe(startedAt + 7_000 + THIRTY_MINUTES);
    expect(effects.find((e) => e.name === KitNames.activities.handOver)!.input).toEqual({
      workflow: 'analysis',
      orderingKey: 'user-1',
      jobId,
    });
  });

  it('wakes at once on PredecessorFinished instead of sleeping out its poll', async () => {
    const jobId = uniqueId('kit');
    turnAnswers('wait');
    const startedAt = rig.clock.now();
    const instanceId = startAfter(jobId, 'job-before');
    await rig.walk(0, 1);
    rig.host.durable.raiseEvent(instanceId, KitNames.turnEvent, { after: 'job-before' });
    const instance = await rig.finished(instanceId);
    expect(instance.runtimeStatus).toBe('Completed');
    const turns = rig.effectsOf(jobId).filter((e) => e.name === KitNames.activities.turn);
    expect(turns.map((e) => e.at - startedAt)).toEqual([0, 0]);
  });

  it('never runs a step of a job cancelled while it waits: it ends cancelled, handing over the line', async () => {
    const jobId = uniqueId('kit');
    turnAnswers('wait', 'stopped');
    const instanceId = startAfter(jobId, 'job-before');
    await rig.walk(2_000, 500);
    const instance = await rig.finished(instanceId);
    expect(instance.runtimeStatus).toBe('Completed');
    expect(instance.output).toEqual({ jobId, status: 'cancelled' });
    expect(shape(rig.effectsOf(jobId))).toEqual([
      KitNames.activities.turn,
      'checkpoint:waiting_for_turn',
      KitNames.activities.turn,
      KitNames.activities.handOver,
    ]);
  });

  it('starts at once, with no turn check, when no job is before it', async () => {
    const jobId = uniqueId('kit');
    const instance = await rig.finished(
      rig.start('analysis', jobId, {
        jobId,
        userId: 'user-1',
        analysisType: 'trip',
        tripId: `trip-${jobId}`,
      }),
    );
    const effects = shape(rig.effectsOf(jobId));
    expect(effects).not.toContain(KitNames.activities.turn);
    // No ordering key: nothing to hand over either.
    expect(effects).not.toContain(KitNames.activities.handOver);
    expect(instance.runtimeStatus).toBe('Completed');
    expect(instanceIdOf('analysis', jobId)).toBe(instance.instanceId);
  });

  it('ends a failed job Failed with its reason, after recording it (not raced against the deadline)', async () => {
    const jobId = uniqueId('kit');
    rig.script.responders.set(Names.activities.tripReport, () => permanent('NotFound', 'no cached schedule'));
    const instance = await rig.finished(
      rig.start('analysis', jobId, {
        jobId,
        userId: 'user-1',
        analysisType: 'trip',
        tripId: `trip-${jobId}`,
      }),
    );
    expect(instance.runtimeStatus).toBe('Failed');
    expect(checkpointsOf(rig.effectsOf(jobId)).at(-1)).toEqual({
      status: 'failed',
      step: 'failed',
      error: 'NotFound: no cached schedule',
      userId: 'user-1',
      jobType: 'analysis',
      seq: 2,
    });
  });
});
