/**
 * A second small app for the local host's Durable tests: long timers, sub-orchestrations with retry,
 * buffered and carried-over events, suspension, and actions the host refuses.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';

const DAY = 24 * 3600_000;
const childAttempts = new Map<string, number>();

df.app.activity('echo', { handler: (value: unknown) => value });

df.app.orchestration('longWait', function* (context: OrchestrationContext) {
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 7 * DAY));
  return context.df.currentUtcDateTime.toISOString();
});

df.app.orchestration('flakyChild', function* (context: OrchestrationContext) {
  const key = context.df.getInput<string>();
  yield context.df.callActivity('echo', key);
  // Orchestrator code must be deterministic; counting here is safe because each attempt is a new
  // instance replayed from its own history, and the count only grows on first execution.
  if (!context.df.isReplaying) childAttempts.set(key, (childAttempts.get(key) ?? 0) + 1);
  if ((childAttempts.get(key) ?? 0) < 3) throw new Error(`child attempt ${childAttempts.get(key)} failed`);
  return `child ok after ${childAttempts.get(key)}`;
});

df.app.orchestration('childRetry', function* (context: OrchestrationContext) {
  const retry = new df.RetryOptions(1000, 4);
  return yield context.df.callSubOrchestratorWithRetry('flakyChild', retry, context.df.instanceId);
});

df.app.orchestration('bufferedEvents', function* (context: OrchestrationContext) {
  const x = yield context.df.callActivity('echo', 'x');
  const a = yield context.df.waitForExternalEvent('a');
  const b = yield context.df.waitForExternalEvent('b');
  return [x, a, b];
});

df.app.orchestration('eternal', function* (context: OrchestrationContext) {
  const generation = context.df.getInput<number>();
  if (generation === 0) {
    yield context.df.callActivity('echo', 'first generation');
    context.df.continueAsNew(1);
    return undefined;
  }
  return { generation, late: yield context.df.waitForExternalEvent('late') };
});

df.app.orchestration('waitsForGo', function* (context: OrchestrationContext) {
  return yield context.df.waitForExternalEvent('go');
});

df.app.orchestration('signaller', function* (context: OrchestrationContext) {
  context.df.signalEntity(new df.EntityId('counter', 'k'), 'add', 1);
  return yield context.df.callActivity('echo', 'after signal');
});

df.app.orchestration('httpCaller', function* (context: OrchestrationContext) {
  return yield context.df.callHttp({ method: 'GET', url: 'http://127.0.0.1:1/never' });
});

/** Non-deterministic on purpose: the second version no longer calls the activity. */
export const shape = { withActivity: true };
df.app.orchestration('shrinking', function* (context: OrchestrationContext) {
  if (shape.withActivity) yield context.df.callActivity('echo', 'a');
  yield context.df.waitForExternalEvent('go');
  return 'done';
});
