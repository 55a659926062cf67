/**
 * AzureWebJobs.<name>.Disabled, as Azure documents it (learn.microsoft.com/azure/azure-functions/
 * disable-function): a disabled function gets no listener (HTTP 404, its queue's messages stay, its
 * schedule never fires) while the other functions run; an admin call still runs it. Durable triggers
 * cannot be disabled here and are refused at start, naming the function.
 */
import { topology } from '../../src/lib/messaging/topology';
import { startLocalHost, type LocalHost } from '../../tools/funchost/host';

type DisableApp = typeof import('./apps/disable-app');

const settings = {
  'AzureWebJobs.hello.Disabled': 'true',
  AzureWebJobs_onRecommendation_Disabled: '1', // the Linux spelling
  'AzureWebJobs.tickOnStart.Disabled': 'True',
  'AzureWebJobs.still.Disabled': 'false',
};

async function start(env: Record<string, string>): Promise<{ host: LocalHost; app: DisableApp }> {
  let app: DisableApp | undefined;
  const host = await startLocalHost({
    load: () =>
      jest.isolateModules(() => {
        app = require('./apps/disable-app') as DisableApp;
      }),
    env,
    serviceBus: { topology },
    runTimers: true,
    quiet: true,
  });
  return { host, app: app! };
}

async function until(condition: () => boolean): Promise<void> {
  for (let n = 0; n < 400 && !condition(); n++) await new Promise((r) => setTimeout(r, 25));
  expect(condition()).toBe(true);
}

describe('local host: disabled functions', () => {
  const keys = [...Object.keys(settings), 'AzureWebJobs.disableOrchestration.Disabled'];
  afterEach(() => keys.forEach((key) => delete process.env[key]));

  it('starts no listener for a disabled function and runs the others', async () => {
    const { host, app } = await start(settings);
    try {
      expect((await fetch(`${host.baseUrl}/api/hello`)).status).toBe(404);
      expect(await (await fetch(`${host.baseUrl}/api/still`)).text()).toBe('still here');

      host.serviceBus!.send('ai-recommendation', { body: { n: 1 }, messageId: 'r-1' });
      host.serviceBus!.send('ai-batch-processing', { body: { n: 2 }, messageId: 'b-1' });
      // The enabled trigger and the enabled start-up timer are the markers that the host is running.
      await until(() => app.ran.includes('onBatch:{"n":2}') && app.ran.includes('markerOnStart'));
      expect(app.ran).not.toContain('tickOnStart');
      expect(app.ran.some((r) => r.startsWith('onRecommendation'))).toBe(false);
      expect(host.serviceBus!.peek('ai-recommendation').map((m) => m.messageId)).toEqual(['r-1']);

      // As with Azure's master key, a disabled function still runs when called on purpose.
      await host.fireTimer('tickOnStart');
      expect(app.ran).toContain('tickOnStart');
    } finally {
      await host.stop();
    }
  });

  it('refuses to start when a Durable trigger is disabled, naming it', async () => {
    await expect(start({ 'AzureWebJobs.disableOrchestration.Disabled': 'true' })).rejects.toThrow(
      /disableOrchestration: AzureWebJobs\.disableOrchestration\.Disabled is set, but the local host cannot disable orchestrationTrigger functions/,
    );
  });
});
