import path from 'node:path';
import type { AppServices } from '../../src/lib/app-services';
import { queueDefinition, topology } from '../../src/lib/messaging/topology';
import { KitNames } from '../../src/orchestrations/kit/kit-names';
import { WORKFLOWS, queueFunctionName } from '../../src/orchestrations/workflows';
import { startLocalHost, type LocalHost } from '../../tools/funchost/host';
import { triggerBinding } from '../../tools/funchost/invoker';
import { rigStandaloneUrl } from '../rig/rig-env';

/** The project's own entry and host.json on the local host, with Service Bus emulated. */
const startRealApp = (taskHubName: string) =>
  startLocalHost({
    load: () => jest.isolateModules(() => require('../../src/index')),
    env: {
      REDIS_URL: rigStandaloneUrl(),
      DURABLE_TASK_HUB_NAME: taskHubName,
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    },
    hostJsonPath: path.resolve(__dirname, '../../host.json'),
    serviceBus: { topology },
    quiet: true,
  });

/** Activity factories only name their handlers; they never call the services while being made. */
const appServicesForNames = (): AppServices => {
  throw new Error('not used to list names');
};

describe('the real app on the local host', () => {
  let host: LocalHost;
  beforeAll(async () => {
    host = await startRealApp('TripGenAITest');
  });
  afterAll(() => host.stop());

  const binding = (name: string) => {
    const fn = host.functions.get(name);
    if (!fn) throw new Error(`${name} is not registered`);
    return fn.metadata.bindings[triggerBinding(fn).name]!;
  };

  it('registers every function with the trigger the project intends, the workflows from their definitions', () => {
    const triggers = Object.fromEntries(
      [...host.functions.values()].map((fn) => [fn.metadata.name, triggerBinding(fn).type]),
    );
    const fromWorkflows = WORKFLOWS.flatMap((w) => [
      [w.orchestratorName, 'orchestrationTrigger'],
      ...Object.keys(w.subOrchestrators ?? {}).map((name) => [name, 'orchestrationTrigger']),
      [queueFunctionName(w.name), 'serviceBusTrigger'],
      ...Object.keys(w.activities(appServicesForNames)).map((name) => [name, 'activityTrigger']),
    ]);
    expect(triggers).toEqual({
      ...Object.fromEntries(fromWorkflows),
      ...Object.fromEntries(Object.values(KitNames.activities).map((name) => [name, 'activityTrigger'])),
      submitJob: 'httpTrigger',
      getJob: 'httpTrigger',
      cancelJob: 'httpTrigger',
      streamJobEvents: 'httpTrigger',
      getTripSchedule: 'httpTrigger',
      postInteractions: 'httpTrigger',
      getProfile: 'httpTrigger',
      putCatalog: 'httpTrigger',
      getCatalog: 'httpTrigger',
      getModel: 'httpTrigger',
      deployModel: 'httpTrigger',
      rollbackModel: 'httpTrigger',
      getRecommendations: 'httpTrigger',
      redisHealthCheck: 'timerTrigger',
      modelCanaryGuard: 'timerTrigger',
      scheduleBackup: 'timerTrigger',
      reconcileJobs: 'timerTrigger',
    });
    expect(triggers).toMatchObject({
      tripGenerationQueue: 'serviceBusTrigger',
      tripPlanDay: 'activityTrigger',
    });
  });

  it.each(WORKFLOWS.map((w) => [w.name, w] as const))(
    'binds the %s queue trigger to its queue, sessions as the topology says, explicit settlement',
    (_name, workflow) => {
      expect(binding(queueFunctionName(workflow.name))).toMatchObject({
        queueName: workflow.queue,
        connection: 'ServiceBusConnection',
        isSessionsEnabled: queueDefinition(workflow.queue).requiresSession,
        sdkBinding: true,
        autoCompleteMessages: false,
        cardinality: 'one',
      });
    },
  );

  it('routes the HTTP API and schedules the timers', () => {
    expect(binding('submitJob')).toMatchObject({
      route: 'jobs/{workflow}',
      methods: ['POST'],
      authLevel: 'function',
    });
    expect(binding('streamJobEvents')).toMatchObject({ route: 'jobs/{jobId}/events', methods: ['GET'] });
    expect(binding('cancelJob')).toMatchObject({ route: 'jobs/{jobId}', methods: ['DELETE'] });
    expect(binding('redisHealthCheck')).toMatchObject({ schedule: '0 */5 * * * *' });
    expect(binding('scheduleBackup')).toMatchObject({ schedule: '0 0 */6 * * *' });
    expect(binding('modelCanaryGuard')).toMatchObject({ schedule: '0 */5 * * * *' });
    expect(binding('getRecommendations')).toMatchObject({
      route: 'users/{userId}/recommendations',
      methods: ['GET'],
    });
    expect(binding('deployModel')).toMatchObject({
      route: 'models/{modelName}/deployments',
      methods: ['POST'],
    });
    expect(binding('reconcileJobs')).toMatchObject({ schedule: '0 * * * * *' });
  });
});

describe('stopping the local host', () => {
  // A closed server's handle is released when libuv runs its close callback, on the next turn.
  const listeningServers = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length;
  };

  it('leaves no server listening, including the HTTP stream proxy of @azure/functions', async () => {
    const before = await listeningServers();
    const host = await startRealApp('TripGenAIStopTest');
    // The host's own server and the library's stream proxy (the app enables HTTP streaming).
    expect(await listeningServers()).toBeGreaterThanOrEqual(before + 2);
    await host.stop();
    expect(await listeningServers()).toBe(before);
  });
});
