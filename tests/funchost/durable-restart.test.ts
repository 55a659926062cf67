import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VirtualClock } from '../../tools/funchost/clock';
import { coreRegistry, resetCoreRegistry, type RegisteredFunction } from '../../tools/funchost/core-api';
import { DurableBackend } from '../../tools/funchost/durable/backend';
import { EventType } from '../../tools/funchost/durable/history';
import { FileInstanceStore } from '../../tools/funchost/durable/persistence-file';
import { RedisInstanceStore } from '../../tools/funchost/durable/persistence-redis';
import type { InstanceStore } from '../../tools/funchost/durable/store';
import { rigStandaloneUrl } from '../rig/rig-env';
import { uniqueId } from '../rig/redis-targets';
import type { RestartProbe } from './apps/restart-app';

/** Each "host" loads its own copy of the app, as a restarted process would. */
function loadApp(): { functions: Map<string, RegisteredFunction>; probe: RestartProbe } {
  resetCoreRegistry();
  let probe!: RestartProbe;
  jest.isolateModules(() => {
    probe = (require('./apps/restart-app') as typeof import('./apps/restart-app')).restartProbe();
  });
  return { functions: new Map(coreRegistry().functions), probe };
}

async function startHost(store: InstanceStore, clock: VirtualClock) {
  const { functions, probe } = loadApp();
  const backend = new DurableBackend({ functions: () => functions, clock, store });
  const resumed = await backend.restore();
  return { backend, probe, resumed };
}

const finished = (b: DurableBackend, id: string) =>
  b.waitFor(id, (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus));
const has = (type: number) => (i: { history: Array<{ EventType: number }> }) =>
  i.history.some((e) => e.EventType === type);

describe.each([
  ['Redis', () => new RedisInstanceStore(rigStandaloneUrl(), `funchost-test:${uniqueId('restart')}:`)],
  ['files', () => new FileInstanceStore(fs.mkdtempSync(path.join(os.tmpdir(), 'funchost-restart-')))],
])('Durable state persisted in %s survives host restarts', (_kind, makeStore) => {
  it('resumes timers, re-runs an interrupted activity, and finishes sub-orchestrations', async () => {
    const store = makeStore();
    const clock = new VirtualClock(Date.UTC(2026, 10, 22, 9, 0));
    (globalThis as Record<symbol, unknown>)[Symbol.for('tripgen.tests.restart-probe')] = undefined;

    // Host 1 stops while the orchestration waits on its 60 s timer.
    const first = await startHost(store, clock);
    expect(first.resumed).toBe(0);
    first.backend.startNew('restartable', { instanceId: 'r-1', input: null });
    await first.backend.waitFor('r-1', has(EventType.TimerCreated));
    await first.backend.close();

    // Host 2 sets the timer again from the stored history; it stops while `gated` runs.
    const second = await startHost(store, clock);
    expect(second.resumed).toBe(1);
    const gatedStarted = new Promise<void>((resolve) => (second.probe.started = resolve));
    clock.advance(60_000);
    await gatedStarted;
    await second.backend.close();
    expect(second.probe.runs).toEqual({ record: 1, gated: 1 });

    // Host 3 runs `gated` again (at-least-once) and starts the child, then stops on the child's timer.
    second.probe.open();
    const third = await startHost(store, clock);
    await third.backend.waitFor('r-1-child', has(EventType.TimerCreated));
    await third.backend.close();
    expect(third.probe.runs).toEqual({ record: 1, gated: 2 });

    // Host 4 fires the child's timer; the child reports to its parent, which then takes the event.
    const fourth = await startHost(store, clock);
    expect(fourth.resumed).toBe(2);
    clock.advance(5_000);
    await fourth.backend.waitFor('r-1', has(EventType.SubOrchestrationInstanceCompleted));
    fourth.backend.raiseEvent('r-1', 'go', 'approved');
    const done = await finished(fourth.backend, 'r-1');
    expect(done.runtimeStatus).toBe('Completed');
    expect(done.output).toEqual(['recorded a', 'gated b', 'recorded c', 'approved']);
    expect(fourth.probe.runs).toEqual({ record: 2, gated: 2 });
    // One history across four hosts: every task id scheduled once, in order.
    const scheduledIds = done.history.filter((e) => e.EventId >= 0).map((e) => e.EventId);
    expect(scheduledIds).toEqual([0, 1, 2, 3]);

    await fourth.backend.reset();
    expect(await store.loadAll()).toEqual([]);
    await fourth.backend.close();
    await store.close();
  });
});

describe('a restarted host replays many resumed orchestrations at once', () => {
  it('checks determinism only on replays it observed (no false "no longer schedules it")', async () => {
    const store = new FileInstanceStore(fs.mkdtempSync(path.join(os.tmpdir(), 'funchost-concurrent-')));
    const clock = new VirtualClock(Date.UTC(2026, 10, 22, 9, 0));
    const ids = Array.from({ length: 6 }, (_, i) => `c-${i}`);
    const first = await startHost(store, clock);
    for (const id of ids) first.backend.startNew('restartable', { instanceId: id, input: null });
    for (const id of ids) await first.backend.waitFor(id, has(EventType.TimerCreated));
    await first.backend.close();

    // A fresh copy of the app and of durable-functions, as in a new process: every instance's timer
    // fires together, so the first replays of this copy of the library run side by side.
    const second = await startHost(store, clock);
    clock.advance(60_000);
    const started = ids.map((id) =>
      second.backend.waitFor(
        id,
        (i) =>
          i.runtimeStatus === 'Failed' ||
          i.history.filter((e) => e.EventType === EventType.TaskScheduled).length >= 2,
      ),
    );
    await Promise.all(started);
    for (const id of ids) {
      const { runtimeStatus, output } = second.backend.get(id)!;
      expect({ id, runtimeStatus, output }).toEqual({ id, runtimeStatus: 'Running', output: null });
    }
    await second.backend.close();
    await store.clear();
  });
});
