/**
 * A small app for the crash-restart tests: an orchestration whose activities count their runs on
 * globalThis (so counts survive the module reloads that stand for host restarts) and one activity
 * that waits on a gate the test opens, so a host can be stopped while it runs.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';

export interface RestartProbe {
  runs: Record<string, number>;
  gate: Promise<void>;
  open(): void;
  started?: () => void;
}

const KEY = Symbol.for('tripgen.tests.restart-probe');
type Holder = typeof globalThis & { [KEY]?: RestartProbe };

export function restartProbe(): RestartProbe {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    holder[KEY] = { runs: {}, gate, open };
  }
  return holder[KEY];
}

const count = (name: string) => {
  const probe = restartProbe();
  probe.runs[name] = (probe.runs[name] ?? 0) + 1;
  return probe;
};

df.app.activity('record', { handler: (value: unknown) => (count('record'), `recorded ${String(value)}`) });
df.app.activity('gated', {
  handler: async (value: unknown) => {
    const probe = count('gated');
    probe.started?.();
    await probe.gate;
    return `gated ${String(value)}`;
  },
});

df.app.orchestration('restartable', function* (context: OrchestrationContext) {
  const first = yield context.df.callActivity('record', 'a');
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
  const second = yield context.df.callActivity('gated', 'b');
  const child = yield context.df.callSubOrchestrator('childFlow', 'c', `${context.df.instanceId}-child`);
  const approval = yield context.df.waitForExternalEvent('go');
  return [first, second, child, approval];
});

df.app.orchestration('childFlow', function* (context: OrchestrationContext) {
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 5_000));
  return yield context.df.callActivity('record', context.df.getInput());
});
