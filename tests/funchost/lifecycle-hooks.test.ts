import { startLocalHost } from '../../tools/funchost/host';

type LifecycleApp = typeof import('./apps/lifecycle-app');

describe('local host: app lifecycle hooks', () => {
  it('runs appStart after loading and appTerminate on stop, after HTTP has stopped, sharing hookData', async () => {
    let lifecycle: LifecycleApp | undefined;
    const host = await startLocalHost({
      load: () =>
        jest.isolateModules(() => {
          lifecycle = require('./apps/lifecycle-app') as LifecycleApp;
        }),
      quiet: true,
    });
    lifecycle!.setBaseUrl(host.baseUrl);
    expect(lifecycle!.seen).toEqual([{ hook: 'appStart', hookData: { startedAt: 'start' } }]);
    expect(await (await fetch(`${host.baseUrl}/api/ping`)).text()).toBe('pong');
    await host.stop();
    expect(lifecycle!.seen[1]).toEqual({
      hook: 'appTerminate',
      hookData: { startedAt: 'start' },
      serverUp: false,
    });
    expect(lifecycle!.seen).toHaveLength(2);
  });
});
