/**
 * The analysis orchestration replayed on the local host with scripted activities: the order of its
 * effects for both analysis types (commit before the profile is stored, stored before announced), the
 * events announced, the seq of each checkpoint, and nothing after a cancel.
 */
import { AnalysisNames as Names } from '../../../src/orchestrations/analysis/names';
import { KitNames } from '../../../src/orchestrations/kit/kit-names';
import { uniqueId } from '../../rig/redis-targets';
import { checkpointsOf, shape, startReplayRig, type ReplayRig } from './replay-harness';

describe('analysis orchestration (replayed on the local host)', () => {
  let rig: ReplayRig;

  beforeAll(async () => {
    rig = await startReplayRig();
  });
  afterAll(() => rig.stop());

  const profile = { userId: 'user-1', interests: { museum: 0.7 } };
  const scriptProfile = (changed: boolean) => {
    rig.script.reset();
    rig.script.responders.set(Names.activities.buildProfile, () => ({
      profile,
      change: { changed, distance: changed ? 0.4 : 0.01 },
      malformedLines: 0,
    }));
  };
  const preferences = (jobId: string) =>
    rig.start(
      'analysis',
      jobId,
      { jobId, userId: 'user-1', analysisType: 'preferences', windowDays: 30 },
      { orderingKey: 'user-1' },
    );

  it('preferences: reads, commits, stores the profile, then announces; completed last; seq 1, 2, 3, …', async () => {
    scriptProfile(true);
    const jobId = uniqueId('analysis');
    const instance = await rig.finished(preferences(jobId));
    expect(instance.runtimeStatus).toBe('Completed');
    const effects = rig.effectsOf(jobId);
    expect(shape(effects)).toEqual([
      'checkpoint:reading_interactions',
      Names.activities.buildProfile,
      'checkpoint:analysing',
      KitNames.activities.commit,
      'checkpoint:storing_profile',
      Names.activities.saveProfile,
      'checkpoint:announcing_result',
      Names.activities.announce,
      'checkpoint:completed',
      KitNames.activities.handOver,
    ]);
    expect(checkpointsOf(effects).map((c) => c.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(checkpointsOf(effects).at(-1)).toMatchObject({
      status: 'completed',
      data: { analysisType: 'preferences', personalizationUpdated: true },
    });
    // The window ends at the orchestration's own time (deterministic), not the activity's clock.
    expect(effects[1]!.input).toEqual({
      userId: 'user-1',
      windowDays: 30,
      now: new Date(effects[0]!.at).toISOString(),
    });
    const announced = effects.find((e) => e.name === Names.activities.announce)!.input as {
      events: Array<{ eventType: string }>;
    };
    expect(announced.events.map((e) => e.eventType)).toEqual([
      'PreferenceAnalyzed',
      'PersonalizationUpdated',
      'AnalysisCompleted',
    ]);
  });

  it('preferences: announces no PersonalizationUpdated when the profile did not change beyond the threshold', async () => {
    scriptProfile(false);
    const jobId = uniqueId('analysis');
    await rig.finished(preferences(jobId));
    const announced = rig.effectsOf(jobId).find((e) => e.name === Names.activities.announce)!.input as {
      events: Array<{ eventType: string }>;
    };
    expect(announced.events.map((e) => e.eventType)).toEqual(['PreferenceAnalyzed', 'AnalysisCompleted']);
  });

  it('trip: reads the schedule, commits, announces AnalysisCompleted with the report', async () => {
    rig.script.reset();
    rig.script.responders.set(Names.activities.tripReport, () => ({ score: 0.8 }));
    const jobId = uniqueId('analysis');
    const instance = await rig.finished(
      rig.start('analysis', jobId, {
        jobId,
        userId: 'user-1',
        analysisType: 'trip',
        tripId: `trip-${jobId}`,
      }),
    );
    expect(instance.output).toMatchObject({ status: 'completed', result: { report: { score: 0.8 } } });
    const effects = rig.effectsOf(jobId);
    expect(shape(effects)).toEqual([
      'checkpoint:reading_schedule',
      Names.activities.tripReport,
      'checkpoint:analysing',
      KitNames.activities.commit,
      'checkpoint:announcing_result',
      Names.activities.announce,
      'checkpoint:completed',
    ]);
    expect(effects.find((e) => e.name === Names.activities.announce)!.input).toEqual({
      jobId,
      events: [
        {
          eventType: 'AnalysisCompleted',
          body: {
            jobId,
            userId: 'user-1',
            analysisType: 'trip',
            tripId: `trip-${jobId}`,
            report: { score: 0.8 },
          },
        },
      ],
    });
  });

  it('stores and announces nothing when the commit finds the job cancelled', async () => {
    scriptProfile(true);
    rig.script.responders.set(KitNames.activities.commit, () => 'cancelled');
    const jobId = uniqueId('analysis');
    const instance = await rig.finished(preferences(jobId));
    expect(instance.output).toEqual({ jobId, status: 'cancelled' });
    const effects = shape(rig.effectsOf(jobId));
    expect(effects.slice(effects.indexOf(KitNames.activities.commit))).toEqual([
      KitNames.activities.commit,
      KitNames.activities.handOver,
    ]);
  });
});
