import { startLocalHost, type LocalHost } from '../../tools/funchost/host';

/**
 * durableRetentionSeconds: a long-running local host purges finished orchestrations after that long,
 * so its memory stays flat (bench:e2e, "kept"); running ones are never touched.
 */
describe('local host: retention of finished orchestrations', () => {
  let host: LocalHost;
  beforeAll(async () => {
    host = await startLocalHost({
      load: () =>
        jest.isolateModules(() => {
          require('./apps/durable-sample-app');
          require('./apps/durable-more-app');
        }),
      durableRetentionSeconds: 0.2,
      quiet: true,
    });
  });
  afterAll(() => host.stop());

  const until = async (condition: () => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not reached');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('purges a finished instance after the retention period and leaves a running one alone', async () => {
    host.durable.startNew('sequence', { instanceId: 'kept-briefly' });
    host.durable.startNew('waitsForGo', { instanceId: 'still-running' });
    await host.durable.waitFor('kept-briefly', (i) => i.runtimeStatus === 'Completed');
    expect(host.durable.get('kept-briefly')).toBeDefined(); // readable right after it finished
    await until(() => host.durable.get('kept-briefly') === undefined);
    expect(host.durable.get('still-running')?.runtimeStatus).toBe('Running');
    host.durable.raiseEvent('still-running', 'go', 1);
    await host.durable.waitFor('still-running', (i) => i.runtimeStatus === 'Completed');
    await until(() => host.durable.get('still-running') === undefined);
  });
});
