/**
 * A small app for the local host's tests (not the product): one orchestration per Durable feature.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';

const attempts = new Map<string, number>();

df.app.activity('hello', { handler: (name: unknown) => `Hello ${String(name)}` });
df.app.activity('flaky', {
  handler: (key: unknown) => {
    const n = (attempts.get(String(key)) ?? 0) + 1;
    attempts.set(String(key), n);
    if (n < 3) throw new Error(`attempt ${n} failed`);
    return `succeeded on attempt ${n}`;
  },
});
df.app.activity('alwaysFails', {
  handler: () => {
    throw new Error('this never works');
  },
});

df.app.orchestration('sequence', function* (context: OrchestrationContext) {
  const a = yield context.df.callActivity('hello', 'Seoul');
  context.df.setCustomStatus({ step: 1 });
  const b = yield context.df.callActivity('hello', 'Busan');
  return [a, b];
});

df.app.orchestration('fanOut', function* (context: OrchestrationContext) {
  const names = context.df.getInput<string[]>();
  return yield context.df.Task.all(names.map((n) => context.df.callActivity('hello', n)));
});

df.app.orchestration('retrying', function* (context: OrchestrationContext) {
  const retry = new df.RetryOptions(1000, 3);
  retry.backoffCoefficient = 2;
  return yield context.df.callActivityWithRetry('flaky', retry, context.df.instanceId);
});

df.app.orchestration('retryExhausted', function* (context: OrchestrationContext) {
  try {
    yield context.df.callActivityWithRetry('alwaysFails', new df.RetryOptions(500, 2), null);
    return 'unreachable';
  } catch (error) {
    return `gave up: ${(error as Error).message}`;
  }
});

df.app.orchestration('timerRace', function* (context: OrchestrationContext) {
  const deadline = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
  const approval = context.df.waitForExternalEvent('approval');
  const winner = yield context.df.Task.any([approval, deadline]);
  if (winner === approval) {
    deadline.cancel();
    return `approved: ${JSON.stringify(approval.result)}`;
  }
  return 'timed out';
});

df.app.orchestration('parent', function* (context: OrchestrationContext) {
  const child = yield context.df.callSubOrchestrator('sequence', undefined, `${context.df.instanceId}-child`);
  return { child };
});

df.app.orchestration('failing', function* (context: OrchestrationContext) {
  yield context.df.callActivity('hello', 'x');
  throw new Error('the orchestrator gave up');
});

df.app.orchestration('counter', function* (context: OrchestrationContext) {
  const count = context.df.getInput<number>();
  if (count >= 3) return count;
  yield context.df.callActivity('hello', String(count));
  context.df.continueAsNew(count + 1);
  return undefined;
});

/** Non-deterministic on purpose: the activity name depends on a module-level flag flipped by the test. */
export const flags = { variant: 'hello' };
df.app.orchestration('unstable', function* (context: OrchestrationContext) {
  yield context.df.callActivity(flags.variant, 'a');
  yield context.df.waitForExternalEvent('go');
  return 'done';
});
