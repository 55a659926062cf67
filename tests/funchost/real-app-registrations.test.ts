import path from 'node:path';
import { topology } from '../../src/lib/messaging/topology';
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

  it('registers every function with the trigger the project intends', () => {
    const triggers = Object.fromEntries(
      [...host.functions.values()].map((fn) => [fn.metadata.name, triggerBinding(fn).type]),
    );
    expect(triggers).toEqual({
      tripGenerationOrchestrator: 'orchestrationTrigger',
      tripCheckpoint: 'activityTrigger',
      tripSelectAndAssign: 'activityTrigger',
      tripPlanDay: 'activityTrigger',
      tripOptimiseDay: 'activityTrigger',
      tripAssembleSchedule: 'activityTrigger',
      tripCacheSchedule: 'activityTrigger',
      tripPublishGenerated: 'activityTrigger',
      tripGenerationQueue: 'serviceBusTrigger',
      submitTripGeneration: 'httpTrigger',
      getJob: 'httpTrigger',
      cancelJob: 'httpTrigger',
      streamJobEvents: 'httpTrigger',
      getTripSchedule: 'httpTrigger',
      redisHealthCheck: 'timerTrigger',
      scheduleBackup: 'timerTrigger',
    });
  });

  it('binds the queue trigger as the Service Bus plan and the dead-lettering need', () => {
    expect(binding('tripGenerationQueue')).toMatchObject({
      queueName: 'ai-trip-generation',
      connection: 'ServiceBusConnection',
      isSessionsEnabled: true,
      sdkBinding: true,
      autoCompleteMessages: false,
      cardinality: 'one',
    });
  });

  it('routes the HTTP API and schedules the timers', () => {
    expect(binding('submitTripGeneration')).toMatchObject({
      route: 'jobs/trip-generation',
      methods: ['POST'],
      authLevel: 'function',
    });
    expect(binding('streamJobEvents')).toMatchObject({ route: 'jobs/{jobId}/events', methods: ['GET'] });
    expect(binding('cancelJob')).toMatchObject({ route: 'jobs/{jobId}', methods: ['DELETE'] });
    expect(binding('redisHealthCheck')).toMatchObject({ schedule: '0 */5 * * * *' });
    expect(binding('scheduleBackup')).toMatchObject({ schedule: '0 0 */6 * * *' });
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
