/**
 * The local host's Durable HTTP API behaves as Azure's where a test could otherwise pass here and fail
 * there (issue 12 item 5). Each test names Azure's behaviour and where it is documented: the Durable
 * Functions "HTTP API reference" (learn.microsoft.com/azure/azure-functions/durable/durable-functions-http-api)
 * and HttpApiHandler.cs in Azure/azure-functions-durable-extension, which implements it.
 */
import { VirtualClock } from '../../tools/funchost/clock';
import { startLocalHost, type LocalHost } from '../../tools/funchost/host';

describe('Durable HTTP API fidelity (local host against Azure)', () => {
  let host: LocalHost;
  let hook: string;

  beforeAll(async () => {
    host = await startLocalHost({
      load: () =>
        jest.isolateModules(() => {
          require('./apps/durable-sample-app');
          require('./apps/durable-more-app');
        }),
      clock: new VirtualClock(Date.UTC(2026, 10, 22, 9, 0)),
      quiet: true,
    });
    hook = `${host.baseUrl}/runtime/webhooks/durabletask`;
  });
  afterAll(() => host.stop());

  const finished = (id: string) =>
    host.durable.waitFor(id, (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus));
  const running = (id: string) => host.durable.waitFor(id, (i) => i.runtimeStatus === 'Running');

  it('a running instance answers 202 with an absolute Location and Retry-After: 5 (HttpApiHandler.cs HandleGetStatusRequestAsync)', async () => {
    host.durable.startNew('waitsForGo', { instanceId: 'fid-202' });
    await running('fid-202');
    const response = await fetch(`${hook}/instances/fid-202?taskHub=Hub`);
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe(`${hook}/instances/fid-202?taskHub=Hub`);
    expect(response.headers.get('retry-after')).toBe('5');
  });

  it('a failed instance is 200, or 500 with returnInternalServerErrorOnFailure=true (HTTP API reference, "Get instance status")', async () => {
    host.durable.startNew('failing', { instanceId: 'fid-failed' });
    expect((await finished('fid-failed')).runtimeStatus).toBe('Failed');
    expect((await fetch(`${hook}/instances/fid-failed`)).status).toBe(200);
    expect((await fetch(`${hook}/instances/fid-failed?returnInternalServerErrorOnFailure=true`)).status).toBe(
      500,
    );
  });

  it('showHistory gives the documented historyEvents shape; Result only with showHistoryOutput (HTTP API reference example)', async () => {
    host.durable.startNew('sequence', { instanceId: 'fid-history' });
    await finished('fid-history');
    const plain = (await (await fetch(`${hook}/instances/fid-history?showHistory=true`)).json()) as {
      historyEvents: Array<Record<string, unknown>>;
    };
    expect(plain.historyEvents.map((e) => e.EventType)).toEqual([
      'ExecutionStarted',
      'TaskCompleted',
      'TaskCompleted',
      'ExecutionCompleted',
    ]);
    expect(plain.historyEvents[0]).toEqual({
      EventType: 'ExecutionStarted',
      FunctionName: 'sequence',
      Timestamp: expect.any(String),
    });
    expect(plain.historyEvents[1]).toEqual({
      EventType: 'TaskCompleted',
      FunctionName: 'hello',
      ScheduledTime: expect.any(String),
      Timestamp: expect.any(String),
    });
    expect(plain.historyEvents[3]).toMatchObject({ OrchestrationStatus: 'Completed' });
    const withOutput = (await (
      await fetch(`${hook}/instances/fid-history?showHistory=true&showHistoryOutput=true&showInput=false`)
    ).json()) as { input: unknown; historyEvents: Array<Record<string, unknown>> };
    expect(withOutput.historyEvents[1]).toMatchObject({ Result: 'Hello Seoul' });
    expect(withOutput.historyEvents[3]).toMatchObject({ Result: ['Hello Seoul', 'Hello Busan'] });
    expect(withOutput.input).toBeNull();
  });

  it('lists with runtimeStatus, instanceIdPrefix, createdTimeFrom/To, showInput and top, paging by x-ms-continuation-token (HttpApiHandler.cs HandleGetStatusRequestAsync)', async () => {
    for (const n of [1, 2, 3])
      host.durable.startNew('fanOut', { instanceId: `fid-list-${n}`, input: [`n${n}`] });
    host.durable.startNew('fanOut', { instanceId: 'other-list', input: ['x'] });
    for (const id of ['fid-list-1', 'fid-list-2', 'fid-list-3', 'other-list']) await finished(id);
    const list = async (query: string, token?: string) => {
      const response = await fetch(`${hook}/instances?${query}`, {
        headers: token ? { 'x-ms-continuation-token': token } : {},
      });
      return {
        ids: ((await response.json()) as Array<{ instanceId: string; input: unknown }>).map((i) => i),
        next: response.headers.get('x-ms-continuation-token') ?? undefined,
      };
    };
    const all = await list('instanceIdPrefix=fid-list-&runtimeStatus=Completed');
    expect(all.ids.map((i) => i.instanceId).sort()).toEqual(['fid-list-1', 'fid-list-2', 'fid-list-3']);
    expect(all.ids[0]!.input).not.toBeNull(); // showInput defaults to true
    expect(all.next).toBeUndefined();
    const first = await list('instanceIdPrefix=fid-list-&top=2&showInput=false');
    expect(first.ids).toHaveLength(2);
    expect(first.ids[0]!.input).toBeNull();
    expect(first.next).toBeDefined();
    const second = await list('instanceIdPrefix=fid-list-&top=2', first.next);
    expect(second.ids).toHaveLength(1);
    expect(second.next).toBeUndefined();
    expect(new Set([...first.ids, ...second.ids].map((i) => i.instanceId)).size).toBe(3);
    const future = new Date(Date.UTC(2030, 0, 1)).toISOString();
    expect((await list(`instanceIdPrefix=fid-list-&createdTimeFrom=${future}`)).ids).toEqual([]);
    expect((await list(`instanceIdPrefix=fid-list-&createdTimeTo=${future}`)).ids).toHaveLength(3);
  });

  it('purges by filter: createdTimeFrom required (400), deletes what matches (200 instancesDeleted), 404 when nothing did (HttpApiHandler.cs HandleDeleteHistoryWithFiltersRequestAsync)', async () => {
    host.durable.startNew('sequence', { instanceId: 'fid-purge-a' });
    host.durable.startNew('waitsForGo', { instanceId: 'fid-purge-running' });
    await finished('fid-purge-a');
    await running('fid-purge-running');
    const missingFrom = await fetch(`${hook}/instances`, { method: 'DELETE' });
    expect(missingFrom.status).toBe(400);
    expect(await missingFrom.text()).toContain("'createdTimeFrom'");
    const from = new Date(Date.UTC(2000, 0, 1)).toISOString();
    const purged = await fetch(`${hook}/instances?createdTimeFrom=${from}&runtimeStatus=Completed`, {
      method: 'DELETE',
    });
    expect(purged.status).toBe(200);
    expect(((await purged.json()) as { instancesDeleted: number }).instancesDeleted).toBeGreaterThanOrEqual(
      1,
    );
    expect(host.durable.get('fid-purge-a')).toBeUndefined();
    expect(host.durable.get('fid-purge-running')?.runtimeStatus).toBe('Running'); // never purged by a filter
    const again = await fetch(`${hook}/instances?createdTimeFrom=${from}&runtimeStatus=Completed`, {
      method: 'DELETE',
    });
    expect(again.status).toBe(404);
  });

  it('refuses to purge a running instance with 412, leaving it running (HttpApiHandler.cs HandleDeleteHistoryByIdRequestAsync)', async () => {
    host.durable.startNew('waitsForGo', { instanceId: 'fid-purge-one' });
    await running('fid-purge-one');
    const response = await fetch(`${hook}/instances/fid-purge-one`, { method: 'DELETE' });
    expect(response.status).toBe(412);
    expect(((await response.json()) as { message: string }).message).toBe(
      'Only orchestrations in a terminal state can be purged, but the orchestration with instance ID fid-purge-one has status Running',
    );
    host.durable.raiseEvent('fid-purge-one', 'go', 'now');
    expect((await finished('fid-purge-one')).runtimeStatus).toBe('Completed');
    expect((await fetch(`${hook}/instances/fid-purge-one`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${hook}/instances/fid-purge-one`, { method: 'DELETE' })).status).toBe(404);
  });

  it('a CallHttp the host cannot run fails the instance with its history kept, ExecutionCompleted naming the feature, and a log line', async () => {
    const logged: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((m: unknown) => void logged.push(String(m)));
    try {
      host.durable.startNew('httpCaller', { instanceId: 'fid-http' });
      const instance = await finished('fid-http');
      expect(instance.runtimeStatus).toBe('Failed');
      expect(instance.output).toBe('The local host does not support the CallHttp action');
      const body = (await (await fetch(`${hook}/instances/fid-http?showHistory=true`)).json()) as {
        historyEvents: Array<Record<string, unknown>>;
      };
      expect(body.historyEvents.map((e) => e.EventType)).toEqual(['ExecutionStarted', 'ExecutionCompleted']);
      expect(body.historyEvents[1]).toMatchObject({ OrchestrationStatus: 'Failed' });
      expect(logged.some((l) => l.includes('fid-http') && l.includes('CallHttp'))).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses to load an app with an output binding it would drop, naming it (Azure honours output bindings)', async () => {
    await expect(
      startLocalHost({
        load: () => jest.isolateModules(() => require('./apps/output-binding-app')),
        quiet: true,
      }),
    ).rejects.toThrow(/sendsThroughBinding: output binding "\w+" of type "serviceBus" is not supported/);
  });
});
