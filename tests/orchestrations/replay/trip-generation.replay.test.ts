/**
 * The trip generation orchestration replayed by durable-functions on the local host, with scripted
 * activities (scripted-app.ts): the exact effects and their order, the seq of each checkpoint, the
 * fan-out bound, the retry schedule on the virtual clock, the deadline, and cancels.
 */
import { EventType } from '../../../tools/funchost/durable/history';
import { KitNames } from '../../../src/orchestrations/kit/kit-names';
import { TripGenerationNames as Names } from '../../../src/orchestrations/trip-generation/names';
import { uniqueId } from '../../rig/redis-targets';
import { permanent } from './scripted-app';
import {
  checkpointsOf,
  maxInFlight,
  shape,
  startReplayRig,
  THIRTY_MINUTES,
  timersOf,
  type ReplayRig,
} from './replay-harness';

const DAYS = 5;

describe('trip generation orchestration (replayed on the local host)', () => {
  let rig: ReplayRig;

  beforeAll(async () => {
    rig = await startReplayRig();
  });
  afterAll(() => rig.stop());
  beforeEach(() => {
    rig.script.reset();
    rig.script.responders.set(Names.activities.selectAndAssign, () => ({
      days: Array.from({ length: DAYS }, (_, day) => ({ day })),
      leftOut: [],
    }));
    rig.script.responders.set(Names.activities.planDay, (input) => ({
      planned: (input.assignment as { day: number }).day,
    }));
    rig.script.responders.set(Names.activities.optimiseDay, (input) => input.dayPlan);
    rig.script.responders.set(Names.activities.assemble, (input) => ({ days: input.dayPlans }));
  });

  const trip = (jobId: string, interests: Record<string, number> | null = { museum: 1 }) => ({
    jobId,
    tripId: `trip-${jobId}`,
    userId: 'user-1',
    days: DAYS,
    ...(interests ? { interests } : {}),
  });
  const start = (jobId: string, extra = {}) =>
    rig.start('trip-generation', jobId, trip(jobId), { orderingKey: `session-${jobId}`, ...extra });

  it('runs every step in order: commit before the cache, the cache before TripGenerated, completed last', async () => {
    const jobId = uniqueId('trip');
    const instance = await rig.finished(start(jobId));
    expect(instance.runtimeStatus).toBe('Completed');
    expect(instance.output).toEqual({
      jobId,
      status: 'completed',
      result: { tripId: `trip-${jobId}`, days: DAYS, interestsFrom: 'request' },
    });
    const effects = shape(rig.effectsOf(jobId));
    // Planning a day and the progress checkpoint after each completion interleave as completions arrive.
    const [from, to] = [
      effects.indexOf('checkpoint:planning_days'),
      effects.indexOf('checkpoint:optimising_routes'),
    ];
    const planning = effects.slice(from + 1, to);
    expect([...planning].sort()).toEqual([
      ...Array.from({ length: DAYS - 1 }, () => 'checkpoint:planning_days'),
      ...Array.from({ length: DAYS }, () => Names.activities.planDay),
    ]);
    expect(planning[0]).toBe(Names.activities.planDay);
    expect([...effects.slice(0, from + 1), ...effects.slice(to)]).toEqual([
      'checkpoint:validating_request',
      'checkpoint:selecting_places',
      Names.activities.selectAndAssign,
      'checkpoint:planning_days',
      'checkpoint:optimising_routes',
      ...Array.from({ length: DAYS }, () => Names.activities.optimiseDay),
      'checkpoint:assembling_schedule',
      Names.activities.assemble,
      KitNames.activities.commit,
      'checkpoint:caching_schedule',
      Names.activities.cacheSchedule,
      'checkpoint:announcing_result',
      Names.activities.publishGenerated,
      'checkpoint:completed',
      KitNames.activities.handOver,
    ]);
    const publish = rig.effectsOf(jobId).find((e) => e.name === Names.activities.publishGenerated)!;
    expect(publish.input).toMatchObject({ jobId, tripId: `trip-${jobId}`, userId: 'user-1' });
  });

  it('gives every checkpoint the next seq of the orchestration, 1, 2, 3, … and progress that never falls', async () => {
    const jobId = uniqueId('trip');
    await rig.finished(start(jobId));
    const checkpoints = checkpointsOf(rig.effectsOf(jobId));
    expect(checkpoints.map((c) => c.seq)).toEqual(checkpoints.map((_, i) => i + 1));
    const progress = checkpoints.map((c) => c.progress ?? 100);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(checkpoints.at(-1)).toMatchObject({ status: 'completed', step: 'completed' });
  });

  it('plans and optimises at most ModelParallelism days at once, with more days than that', async () => {
    for (const parallelism of [1, 2, 3]) {
      const jobId = uniqueId('trip');
      const instance = await rig.finished(start(jobId, { modelParallelism: parallelism }));
      expect(instance.runtimeStatus).toBe('Completed');
      expect(maxInFlight(instance.history, Names.activities.planDay)).toBe(parallelism);
      expect(maxInFlight(instance.history, Names.activities.optimiseDay)).toBe(parallelism);
      const planned = rig.effectsOf(jobId).filter((e) => e.name === Names.activities.planDay);
      expect(planned.map((e) => (e.input.assignment as { day: number }).day).sort()).toEqual([0, 1, 2, 3, 4]);
    }
  });

  it('retries a transient failure 5 times, 2 s, 4 s, 8 s and 16 s apart on the host clock, then fails the job', async () => {
    const jobId = uniqueId('trip');
    rig.script.responders.set(Names.activities.selectAndAssign, () => {
      throw new Error('Redis failover in progress');
    });
    const instanceId = start(jobId);
    const attempts = () => rig.effectsOf(jobId).filter((e) => e.name === Names.activities.selectAndAssign);
    // Half-second steps: every retry fires at the step it is due, so the intervals read are exact.
    await rig.walk(90_000, 500);
    const instance = await rig.finished(instanceId);
    const times = attempts().map((e) => e.at);
    expect(attempts().map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(instance.runtimeStatus).toBe('Failed');
    const failed = checkpointsOf(rig.effectsOf(jobId)).at(-1)!;
    expect(failed).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^ActivityFailed: .*Redis failover/),
    });
    expect(shape(rig.effectsOf(jobId))).not.toContain(Names.activities.planDay);
  });

  it('goes on after a transient failure that clears on the third attempt', async () => {
    const jobId = uniqueId('trip');
    const answer = rig.script.responders.get(Names.activities.selectAndAssign)!;
    rig.script.responders.set(Names.activities.selectAndAssign, (input, attempt) => {
      if (attempt < 3) throw new Error('connection reset');
      return answer(input, attempt);
    });
    const instanceId = start(jobId);
    for (const wait of [2_000, 4_000]) {
      await rig.host.durable.whenIdle();
      rig.clock.advance(wait);
    }
    expect((await rig.finished(instanceId)).runtimeStatus).toBe('Completed');
    expect(rig.effectsOf(jobId).filter((e) => e.name === Names.activities.selectAndAssign)).toHaveLength(3);
  });

  it('fails at once on a permanent failure: one attempt, no retry timer, nothing cached or announced', async () => {
    const jobId = uniqueId('trip');
    rig.script.responders.set(Names.activities.selectAndAssign, () =>
      permanent('NoFeasiblePlan', 'no day fits'),
    );
    const instance = await rig.finished(start(jobId));
    expect(instance.runtimeStatus).toBe('Failed');
    expect(shape(rig.effectsOf(jobId))).toEqual([
      'checkpoint:validating_request',
      'checkpoint:selecting_places',
      Names.activities.selectAndAssign,
      'checkpoint:failed',
      KitNames.activities.handOver,
    ]);
    expect(checkpointsOf(rig.effectsOf(jobId)).at(-1)!.error).toBe('NoFeasiblePlan: no day fits');
    expect(timersOf(instance.history)).toHaveLength(1); // the deadline only
  });

  it('starts the deadline MaxProcessingTime after the job begins, and cancels it when the job ends', async () => {
    const jobId = uniqueId('trip');
    const startedAt = rig.clock.now();
    const instance = await rig.finished(start(jobId));
    const deadline = instance.history.find((e) => e.EventType === EventType.TimerCreated)!;
    expect(Date.parse(String(deadline.FireAt))).toBe(startedAt + THIRTY_MINUTES);
    expect(instance.history.some((e) => e.EventType === EventType.TimerFired)).toBe(false);
  });

  it('fails the job with Timeout when MaxProcessingTime passes during a step, and runs nothing after it', async () => {
    const jobId = uniqueId('trip');
    // A day that keeps failing transiently: its retries (2 s, 4 s, …) outlast a 5 s deadline.
    rig.script.responders.set(Names.activities.planDay, () => {
      throw new Error('model endpoint busy');
    });
    const startedAt = rig.clock.now();
    const instanceId = start(jobId, { maxProcessingTimeMs: 5_000 });
    await rig.walk(20_000, 500);
    const instance = await rig.finished(instanceId);
    expect(instance.runtimeStatus).toBe('Failed');
    const effects = rig.effectsOf(jobId);
    const failed = effects.find((e) => shape([e])[0] === 'checkpoint:failed')!;
    expect(failed.at).toBe(startedAt + 5_000);
    expect((failed.input.update as { error: string }).error).toMatch(/^Timeout: /);
    expect(shape(effects.slice(effects.indexOf(failed)))).toEqual([
      'checkpoint:failed',
      KitNames.activities.handOver,
    ]);
    // Attempts of the day that were under way before the deadline; none after it.
    expect(
      effects.filter((e) => e.name === Names.activities.planDay).every((e) => e.at < startedAt + 5_000),
    ).toBe(true);
    expect(shape(effects)).not.toContain('checkpoint:optimising_routes');
  });

  it('stops before the cache and TripGenerated when the commit finds the job cancelled', async () => {
    const jobId = uniqueId('trip');
    rig.script.responders.set(KitNames.activities.commit, () => 'cancelled');
    const instance = await rig.finished(start(jobId));
    expect(instance.output).toEqual({ jobId, status: 'cancelled' });
    const effects = shape(rig.effectsOf(jobId));
    expect(effects.slice(effects.indexOf(KitNames.activities.commit))).toEqual([
      KitNames.activities.commit,
      KitNames.activities.handOver,
    ]);
  });

  it('stops at the first checkpoint that finds the job cancelled: no further step, no failure recorded', async () => {
    const jobId = uniqueId('trip');
    const applied = (input: Record<string, unknown>) => {
      const update = input.update as { status: string; progress?: number; seq: number };
      return { outcome: 'applied', status: update.status, progress: update.progress ?? 0, seq: update.seq };
    };
    rig.script.responders.set(KitNames.activities.checkpoint, (input) =>
      (input.update as { step: string }).step === 'optimising_routes'
        ? { outcome: 'ignored', status: 'cancelled', progress: 0, seq: 0 }
        : applied(input),
    );
    const instance = await rig.finished(start(jobId));
    expect(instance.output).toEqual({ jobId, status: 'cancelled' });
    const effects = shape(rig.effectsOf(jobId));
    expect(effects.slice(effects.indexOf('checkpoint:optimising_routes'))).toEqual([
      'checkpoint:optimising_routes',
      KitNames.activities.handOver,
    ]);
  });

  it('reads the interests from the stored profile first when the request has none, and plans with them', async () => {
    const jobId = uniqueId('trip');
    rig.script.responders.set(Names.activities.resolveInterests, () => ({
      interests: { palace: 0.9 },
      source: 'profile',
    }));
    const instanceId = rig.start('trip-generation', jobId, trip(jobId, null));
    const instance = await rig.finished(instanceId);
    expect(instance.output).toMatchObject({ result: { interestsFrom: 'profile' } });
    const effects = rig.effectsOf(jobId);
    expect(shape(effects).slice(0, 4)).toEqual([
      'checkpoint:validating_request',
      Names.activities.resolveInterests,
      'checkpoint:selecting_places',
      Names.activities.selectAndAssign,
    ]);
    expect(effects[1]!.input).toEqual({ userId: 'user-1' });
    expect(effects[3]!.input).toMatchObject({ request: { interests: { palace: 0.9 } } });
  });

  it('replays deterministically: the history holds each effect once', async () => {
    const jobId = uniqueId('trip');
    const instance = await rig.finished(start(jobId));
    const scheduled = instance.history.filter((e) => e.EventType === EventType.TaskScheduled);
    expect(scheduled).toHaveLength(rig.effectsOf(jobId).length);
  });
});
