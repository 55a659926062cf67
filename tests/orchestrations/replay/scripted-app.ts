/**
 * The app the replay tests load into the local host: every workflow's real orchestrators (and sub-
 * orchestrators), registered under their real names, with each activity replaced by a scripted one that
 * records what ran (name, input, the host's virtual time) and answers as the test says. The orchestrator
 * code under test is exactly the product's; only the effects are scripted, so a test can make an
 * activity fail, answer "cancelled" or hold, and read the exact sequence of effects that followed.
 */
import * as df from 'durable-functions';
import { KitNames } from '../../../src/orchestrations/kit/kit-names';
import { WORKFLOWS } from '../../../src/orchestrations/workflows';
import type { CheckpointUpdate } from '../../../src/lib/jobs/job-types';

export interface Effect {
  name: string;
  input: Record<string, unknown>;
  /** The host clock's time when the activity ran. */
  at: number;
  /** 1 for the first run of this activity with this input, 2 for its first retry, … */
  attempt: number;
}

/**
 * Answers an activity: return the value (wrapped as the activity outcome; a promise holds the activity
 * until it settles), a `permanent(...)` failure, or throw to fail this attempt (retried by the policy).
 */
export type Responder = (input: Record<string, unknown>, attempt: number) => unknown;

/**
 * A permanent failure, as activities report one (a value, never retried). A plain tagged object: the
 * test and the app loaded into the host are separate module instances, so `instanceof` cannot tell.
 */
export function permanent(code: string, reason: string) {
  return { [PERMANENT]: true, code, reason };
}
const PERMANENT = '__permanentFailure';

export const script = {
  effects: [] as Effect[],
  /** By activity name; the kit's activities default to the answers below, every other activity to null. */
  responders: new Map<string, Responder>(),
  /** A clock read at each run (the host's); set by the test. */
  now: (): number => Date.now(),
  /** Back to the default answers (the record of effects is kept: the rig reads each job's share of it). */
  reset(): void {
    this.responders.clear();
  },
};

const attempts = new Map<string, number>();

const defaults: Record<string, Responder> = {
  [KitNames.activities.checkpoint]: (input) => {
    const update = input.update as CheckpointUpdate;
    return { outcome: 'applied', status: update.status, progress: update.progress ?? 0, seq: update.seq };
  },
  [KitNames.activities.commit]: () => 'processing',
  [KitNames.activities.turn]: () => 'go',
  [KitNames.activities.handOver]: () => null,
};

function scripted(name: string) {
  return async (raw: unknown) => {
    const input = (raw ?? {}) as Record<string, unknown>;
    const key = `${name}\u0000${JSON.stringify(input)}`;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    script.effects.push({ name, input, at: script.now(), attempt });
    const respond = script.responders.get(name) ?? defaults[name] ?? (() => null);
    const value = await respond(input, attempt);
    if (value && typeof value === 'object' && PERMANENT in value) {
      const { code, reason } = value as unknown as { code: string; reason: string };
      return { ok: false, permanent: true, reason, code };
    }
    return { ok: true, value: value ?? null };
  };
}

const noServices = () => {
  throw new Error('the replay tests script every activity; no service may be reached');
};
const activityNames = new Set<string>(Object.values(KitNames.activities));
for (const workflow of WORKFLOWS) {
  df.app.orchestration(workflow.orchestratorName, workflow.orchestrator);
  for (const [name, orchestrator] of Object.entries(workflow.subOrchestrators ?? {}))
    df.app.orchestration(name, orchestrator);
  for (const name of Object.keys(workflow.activities(noServices))) activityNames.add(name);
}
for (const name of activityNames) df.app.activity(name, { handler: scripted(name) });
