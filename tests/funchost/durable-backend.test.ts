import type * as df from 'durable-functions';
import { VirtualClock } from '../../tools/funchost/clock';
import { startLocalHost, type LocalHost } from '../../tools/funchost/host';

// The real client class; the public package only exposes it through getClient(context).
const { DurableClient } = require('durable-functions/lib/src/durableClient/DurableClient') as {
  DurableClient: new (data: unknown) => df.DurableClient;
};

describe('local host: Durable orchestrations through the durable-functions replay engine', () => {
  let host: LocalHost;
  let clock: VirtualClock;
  let flags: { variant: string };

  beforeAll(async () => {
    clock = new VirtualClock(Date.UTC(2026, 10, 22, 9, 0));
    host = await startLocalHost({
      load: () =>
        jest.isolateModules(() => {
          flags = (require('./apps/durable-sample-app') as { flags: { variant: string } }).flags;
        }),
      clock,
      quiet: true,
    });
  });
  afterAll(() => host.stop());

  const done = (id: string) =>
    host.durable.waitFor(id, (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus));

  it('runs activities in sequence with custom status', async () => {
    host.durable.startNew('sequence', { instanceId: 'seq-1' });
    const instance = await done('seq-1');
    expect(instance.runtimeStatus).toBe('Completed');
    expect(instance.output).toEqual(['Hello Seoul', 'Hello Busan']);
    expect(instance.customStatus).toEqual({ step: 1 });
  });

  it('fans out with Task.all', async () => {
    host.durable.startNew('fanOut', { instanceId: 'fan-1', input: ['a', 'b', 'c', 'd', 'e'] });
    expect((await done('fan-1')).output).toEqual(['Hello a', 'Hello b', 'Hello c', 'Hello d', 'Hello e']);
  });

  it('retries a failing activity with back-off timers on the clock', async () => {
    host.durable.startNew('retrying', { instanceId: 'retry-1' });
    await host.durable.waitFor('retry-1', (i) => i.history.some((e) => e.EventType === 10));
    await host.durable.whenIdle();
    expect(host.durable.get('retry-1')!.runtimeStatus).toBe('Running');
    clock.advance(1000); // first retry after 1 s
    await host.durable.waitFor('retry-1', (i) => i.history.filter((e) => e.EventType === 10).length === 2);
    await host.durable.whenIdle();
    clock.advance(1999);
    await host.durable.whenIdle();
    expect(host.durable.get('retry-1')!.runtimeStatus).toBe('Running'); // 2 s back-off not yet over
    clock.advance(1);
    const instance = await done('retry-1');
    expect(instance.output).toBe('succeeded on attempt 3');
    const failed = instance.history.filter((e) => e.EventType === 6);
    expect(failed).toHaveLength(2);
  });

  it('rethrows after the last attempt', async () => {
    host.durable.startNew('retryExhausted', { instanceId: 'exhaust-1' });
    await host.durable.waitFor('exhaust-1', (i) => i.history.some((e) => e.EventType === 10));
    await host.durable.whenIdle();
    clock.advance(500);
    const timers = (i: { history: Array<{ EventType: number }> }) =>
      i.history.filter((e) => e.EventType === 10).length;
    await host.durable.waitFor('exhaust-1', (i) => timers(i) === 2);
    await host.durable.whenIdle();
    // As DTFx's retry interceptor: the back-off after the LAST failed attempt is waited in full too
    // (Azure/durabletask RetryInterceptor; local-host-contract.md §1 Retry), before the error surfaces.
    clock.advance(499);
    await host.durable.whenIdle();
    expect(host.durable.get('exhaust-1')!.runtimeStatus).toBe('Running');
    clock.advance(1);
    const instance = await done('exhaust-1');
    expect(instance.output).toMatch(/^gave up: .*this never works/);
  });

  it('races an external event against a durable timer, both ways', async () => {
    host.durable.startNew('timerRace', { instanceId: 'race-event' });
    await host.durable.waitFor('race-event', (i) => i.runtimeStatus === 'Running');
    await host.durable.whenIdle();
    host.durable.raiseEvent('race-event', 'approval', { by: 'ops' });
    expect((await done('race-event')).output).toBe('approved: {"by":"ops"}');

    host.durable.startNew('timerRace', { instanceId: 'race-timer' });
    await host.durable.waitFor('race-timer', (i) => i.runtimeStatus === 'Running');
    await host.durable.whenIdle();
    clock.advance(60_000);
    expect((await done('race-timer')).output).toBe('timed out');
  });

  it('runs sub-orchestrations and continueAsNew', async () => {
    host.durable.startNew('parent', { instanceId: 'parent-1' });
    expect((await done('parent-1')).output).toEqual({ child: ['Hello Seoul', 'Hello Busan'] });
    host.durable.startNew('counter', { instanceId: 'counter-1', input: 0 });
    expect((await done('counter-1')).output).toBe(3);
  });

  it('reports an orchestrator failure', async () => {
    host.durable.startNew('failing', { instanceId: 'fail-1' });
    const instance = await done('fail-1');
    expect(instance.runtimeStatus).toBe('Failed');
    expect(instance.output).toMatch(/Orchestrator function 'failing' failed: .*the orchestrator gave up/);
  });

  it('detects a non-deterministic orchestrator and names the mismatch', async () => {
    flags.variant = 'hello';
    host.durable.startNew('unstable', { instanceId: 'nd-1' });
    await host.durable.waitFor('nd-1', (i) => i.history.some((e) => e.EventType === 5));
    await host.durable.whenIdle();
    flags.variant = 'flaky';
    host.durable.raiseEvent('nd-1', 'go', null);
    const instance = await done('nd-1');
    expect(instance.runtimeStatus).toBe('Failed');
    expect(instance.output).toMatch(
      /Non-deterministic workflow detected: task 0 was activity 'hello' .* now schedules activity 'flaky'/,
    );
  });

  it('serves the Durable HTTP API that the real DurableClient calls', async () => {
    const outcome = await host.invoke('clientProbe', { json: 'null' }).catch((e: Error) => e);
    expect(outcome).toBeInstanceOf(Error); // no such function: invoke refuses loudly
    const client = new DurableClient(
      (await import('../../tools/funchost/http/durable-routes')).durableClientData(
        host.baseUrl,
        'LocalTaskHub',
      ) as never,
    );
    const id = await client.startNew('sequence', { instanceId: 'client-1' });
    expect(id).toBe('client-1');
    await done('client-1');
    const status = await client.getStatus('client-1');
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toEqual(['Hello Seoul', 'Hello Busan']);
    await expect(client.getStatus('missing')).rejects.toThrow(/404/);

    await client.startNew('timerRace', { instanceId: 'client-2' });
    await host.durable.waitFor('client-2', (i) => i.runtimeStatus === 'Running');
    // Azure (HttpApiHandler.cs, azure-functions-durable-extension; Durable Functions HTTP API
    // reference, "Raise event"): a body that is not application/json is refused with 400.
    const raiseUrl = `${host.baseUrl}/runtime/webhooks/durabletask/instances/client-2/raiseEvent/approval`;
    const textBody = await fetch(raiseUrl, {
      method: 'POST',
      body: 'yes',
      headers: { 'content-type': 'text/plain' },
    });
    expect(textBody.status).toBe(400);
    expect(await textBody.json()).toEqual({ message: 'Only application/json request content is supported' });
    // Features the local host lacks answer 501 naming them, never a bare 404.
    const restart = await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/instances/client-2/restart`, {
      method: 'POST',
    });
    expect([restart.status, ((await restart.json()) as { message: string }).message]).toEqual([
      501,
      'restart is not supported by the local host',
    ]);
    const entities = await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/entities/counter/one`);
    expect(entities.status).toBe(501);
    await client.raiseEvent('client-2', 'approval', 'yes');
    expect((await done('client-2')).output).toBe('approved: "yes"');

    await client.startNew('timerRace', { instanceId: 'client-3' });
    await host.durable.waitFor('client-3', (i) => i.runtimeStatus === 'Running');
    await client.terminate('client-3', 'no longer needed');
    expect((await done('client-3')).runtimeStatus).toBe('Terminated');
    expect((await client.purgeInstanceHistory('client-3')).instancesDeleted).toBe(1);
  });
});
