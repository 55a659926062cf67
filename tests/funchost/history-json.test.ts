/**
 * The orchestration trigger's history is built from JSON kept per instance (history-json.ts) instead
 * of serialising the whole history every episode. These tests hold it to what a full serialisation
 * gives: every episode's trigger carries exactly the instance's past events (marked played), then
 * OrchestratorStarted and the new events, and the instance's input, across appends, continueAsNew,
 * a history replaced from outside and a restored (re-created) instance.
 */
import { VirtualClock } from '../../tools/funchost/clock';
import { startLocalHost, type LocalHost } from '../../tools/funchost/host';
import { EventType, History, type HistoryEvent } from '../../tools/funchost/durable/history';
import { forgetHistoryJson, inputJson, playedHistoryJson } from '../../tools/funchost/durable/history-json';
import type { Instance } from '../../tools/funchost/durable/instance';
import * as invoker from '../../tools/funchost/invoker';

const played = (events: HistoryEvent[]) => events.map((e) => ({ ...e, IsPlayed: true }));
const parseList = (json: string) => JSON.parse(`[${json}]`) as HistoryEvent[];

function instanceWith(history: HistoryEvent[], input: unknown = { a: 1 }): Instance {
  return {
    instanceId: 'i',
    name: 'o',
    input,
    runtimeStatus: 'Running',
    customStatus: null,
    output: null,
    createdTime: '',
    lastUpdatedTime: '',
    history,
    scheduled: {},
    inbox: [],
  };
}

describe('played history JSON kept per instance', () => {
  const t = Date.UTC(2026, 0, 1);
  const e1 = History.executionStarted(t, 'o', { a: 1 });
  const e2 = History.taskScheduled(t, 0, 'act', 'x');
  const e3 = History.taskCompleted(t, 0, { ok: true });
  const e4 = History.orchestratorCompleted(t);

  it('covers the history as it grows, by push or by a new array with the same events', () => {
    const instance = instanceWith([e1]);
    expect(parseList(playedHistoryJson(instance))).toEqual(played([e1]));
    instance.history.push(e2);
    expect(parseList(playedHistoryJson(instance))).toEqual(played([e1, e2]));
    instance.history = [...instance.history, e3, e4];
    expect(parseList(playedHistoryJson(instance))).toEqual(played([e1, e2, e3, e4]));
    // Serialising marks nothing on the events themselves.
    expect(e3.IsPlayed).toBe(false);
  });

  it('is rebuilt when the history is replaced (continueAsNew, other events)', () => {
    const instance = instanceWith([e1, e2, e3]);
    playedHistoryJson(instance);
    instance.history = [];
    expect(playedHistoryJson(instance)).toBe('');
    instance.history = [e1, e3];
    expect(parseList(playedHistoryJson(instance))).toEqual(played([e1, e3]));
    instance.history = [e1, e2, e3, e4].map((e) => ({ ...e })); // equal events, other objects (restored)
    instance.history[1]!.Name = 'renamed';
    expect(parseList(playedHistoryJson(instance))[1]!.Name).toBe('renamed');
    forgetHistoryJson(instance);
    expect(parseList(playedHistoryJson(instance))).toHaveLength(4);
  });

  it('follows a new input value', () => {
    const instance = instanceWith([e1], { a: 1 });
    expect(inputJson(instance)).toBe('{"a":1}');
    instance.input = { b: 2 };
    expect(inputJson(instance)).toBe('{"b":2}');
    instance.input = undefined;
    expect(inputJson(instance)).toBeUndefined();
  });
});

describe('every episode of a real replay gets the full history', () => {
  let host: LocalHost;
  const mismatches: string[] = [];
  let episodes = 0;

  beforeAll(async () => {
    const real = invoker.invoke;
    jest.spyOn(invoker, 'invoke').mockImplementation((fn, request) => {
      const json = request.triggerData.json;
      if (typeof json === 'string' && json.startsWith('{"history":')) {
        episodes += 1;
        const trigger = JSON.parse(json) as { history: HistoryEvent[]; input?: unknown; instanceId: string };
        const instance = host.durable.get(trigger.instanceId)!;
        const past = played(instance.history);
        const fresh = trigger.history.slice(past.length);
        const expected = {
          past,
          input: instance.input,
          fresh: [
            EventType.OrchestratorStarted,
            ...instance.inbox.slice(0, fresh.length - 1).map((e) => e.EventType),
          ],
        };
        const actual = {
          past: trigger.history.slice(0, past.length),
          input: trigger.input,
          fresh: fresh.map((e) => e.EventType),
        };
        try {
          expect(actual).toEqual(expected);
          expect(fresh.every((e) => !e.IsPlayed)).toBe(true);
        } catch (error) {
          mismatches.push(`${trigger.instanceId}: ${(error as Error).message}`);
        }
      }
      return real(fn, request);
    });
    host = await startLocalHost({
      load: () => jest.isolateModules(() => require('./apps/durable-sample-app')),
      clock: new VirtualClock(Date.UTC(2026, 10, 22, 9, 0)),
      quiet: true,
    });
  });
  afterAll(async () => {
    await host.stop();
    jest.restoreAllMocks();
  });

  const done = (id: string) =>
    host.durable.waitFor(id, (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus));

  it('sequence, fan-out, sub-orchestration, continueAsNew, external event', async () => {
    host.durable.startNew('sequence', { instanceId: 'seq' });
    host.durable.startNew('fanOut', { instanceId: 'fan', input: ['a', 'b', 'c', 'd'] });
    host.durable.startNew('parent', { instanceId: 'parent' });
    host.durable.startNew('counter', { instanceId: 'counter', input: 0 });
    host.durable.startNew('timerRace', { instanceId: 'race' });
    await host.durable.waitFor('race', (i) => i.history.length > 0);
    host.durable.raiseEvent('race', 'approval', { by: 'me' });
    expect((await done('seq')).output).toEqual(['Hello Seoul', 'Hello Busan']);
    expect((await done('fan')).output).toEqual(['Hello a', 'Hello b', 'Hello c', 'Hello d']);
    expect((await done('parent')).output).toEqual({ child: ['Hello Seoul', 'Hello Busan'] });
    expect((await done('counter')).output).toBe(3);
    expect((await done('race')).output).toBe('approved: {"by":"me"}');
    expect(episodes).toBeGreaterThan(15);
    expect(mismatches).toEqual([]);
  });
});
