import { VirtualClock } from '../../tools/funchost/clock';
import { EventType } from '../../tools/funchost/durable/history';
import { startLocalHost, type LocalHost } from '../../tools/funchost/host';

const DAY = 24 * 3600_000;

describe('local host: more Durable features through durable-functions', () => {
  let host: LocalHost;
  let clock: VirtualClock;
  let shape: { withActivity: boolean };

  beforeAll(async () => {
    clock = new VirtualClock(Date.UTC(2026, 10, 22, 9, 0));
    host = await startLocalHost({
      load: () =>
        jest.isolateModules(() => {
          shape = (require('./apps/durable-more-app') as typeof import('./apps/durable-more-app')).shape;
        }),
      clock,
      quiet: true,
    });
  });
  afterAll(() => host.stop());

  const done = (id: string) =>
    host.durable.waitFor(id, (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus));
  const timers = (id: string) =>
    host.durable.get(id)!.history.filter((e) => e.EventType === EventType.TimerCreated);

  it('splits a timer longer than maximumShortTimerDuration into long-running intervals', async () => {
    const start = clock.now();
    host.durable.startNew('longWait', { instanceId: 'long-1' });
    await host.durable.waitFor('long-1', () => timers('long-1').length === 1);
    expect(timers('long-1')[0]).toMatchObject({
      EventId: 0,
      FireAt: new Date(start + 3 * DAY).toISOString(),
    });
    clock.advance(3 * DAY);
    await host.durable.waitFor('long-1', () => timers('long-1').length === 2);
    expect(timers('long-1')[1]).toMatchObject({
      EventId: 1,
      FireAt: new Date(start + 7 * DAY).toISOString(),
    });
    clock.advance(4 * DAY - 1);
    await host.durable.whenIdle();
    expect(host.durable.get('long-1')!.runtimeStatus).toBe('Running');
    clock.advance(1);
    expect((await done('long-1')).output).toBe(new Date(start + 7 * DAY).toISOString());
  });

  it('retries a failing sub-orchestration as new child instances', async () => {
    host.durable.startNew('childRetry', { instanceId: 'cr-1' });
    for (let attempt = 1; attempt <= 2; attempt++) {
      await host.durable.waitFor('cr-1', () => timers('cr-1').length === attempt);
      await host.durable.whenIdle();
      clock.advance(1000);
    }
    const instance = await done('cr-1');
    expect(instance.output).toBe('child ok after 3');
    const children = instance.history.filter(
      (e) => e.EventType === EventType.SubOrchestrationInstanceCreated,
    );
    expect(children.map((e) => e.InstanceId)).toEqual(['cr-1:0', 'cr-1:2', 'cr-1:4']);
    expect(host.durable.get('cr-1:0')!.runtimeStatus).toBe('Failed');
  });

  it('buffers events raised before the orchestration waits for them', async () => {
    host.durable.startNew('bufferedEvents', { instanceId: 'buf-1' });
    host.durable.raiseEvent('buf-1', 'b', 'second');
    host.durable.raiseEvent('buf-1', 'a', 'first');
    expect((await done('buf-1')).output).toEqual(['x', 'first', 'second']);
  });

  it('carries events not yet received over continueAsNew', async () => {
    host.durable.startNew('eternal', { instanceId: 'eternal-1', input: 0 });
    host.durable.raiseEvent('eternal-1', 'late', 'kept');
    const instance = await done('eternal-1');
    expect(instance.output).toEqual({ generation: 1, late: 'kept' });
    const started = instance.history.find((e) => e.EventType === EventType.ExecutionStarted);
    expect(started).toMatchObject({ Input: '1' });
  });

  it('suspends and resumes, holding events while suspended', async () => {
    host.durable.startNew('waitsForGo', { instanceId: 'susp-1' });
    await host.durable.waitFor('susp-1', (i) => i.runtimeStatus === 'Running');
    host.durable.suspend('susp-1', 'maintenance');
    host.durable.raiseEvent('susp-1', 'go', 'went');
    await host.durable.whenIdle();
    expect(host.durable.get('susp-1')!.runtimeStatus).toBe('Suspended');
    host.durable.resume('susp-1', 'back');
    expect((await done('susp-1')).output).toBe('went');
    const kinds = host.durable.get('susp-1')!.history.map((e) => e.EventType);
    expect(kinds).toEqual(expect.arrayContaining([EventType.ExecutionSuspended, EventType.ExecutionResumed]));
  });

  it.each([
    ['signaller', 'SignalEntity'],
    ['httpCaller', 'CallHttp'],
  ])('fails %s loudly: the %s action is not supported', async (name, action) => {
    host.durable.startNew(name, { instanceId: `${name}-1` });
    const instance = await done(`${name}-1`);
    expect(instance.runtimeStatus).toBe('Failed');
    expect(instance.output).toBe(`The local host does not support the ${action} action`);
  });

  it('detects an orchestrator that no longer schedules a recorded task', async () => {
    shape.withActivity = true;
    host.durable.startNew('shrinking', { instanceId: 'shrink-1' });
    await host.durable.waitFor('shrink-1', (i) =>
      i.history.some((e) => e.EventType === EventType.TaskCompleted),
    );
    await host.durable.whenIdle();
    shape.withActivity = false;
    host.durable.raiseEvent('shrink-1', 'go', null);
    const instance = await done('shrink-1');
    expect(instance.runtimeStatus).toBe('Failed');
    expect(instance.output).toBe(
      "Non-deterministic workflow detected: the history has activity 'echo' as task 0, but the orchestrator no longer schedules it",
    );
  });

  it('purges a finished instance and refuses events for it', async () => {
    expect(() => host.durable.raiseEvent('buf-1', 'a', 1)).toThrow(/Completed/);
    expect(host.durable.purge('buf-1')).toBe(1);
    expect(host.durable.purge('buf-1')).toBe(0);
    expect(() => host.durable.raiseEvent('buf-1', 'a', 1)).toThrow(/No instance/);
  });
});
