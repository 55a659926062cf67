import type { MessagingTopology } from '../../src/lib/messaging/topology';
import { SystemClock, type Clock } from './clock';
import { coreRegistry, resetCoreRegistry, type RegisteredFunction } from './core-api';
import { DurableBackend } from './durable/backend';
import type { PersistenceOption } from './durable/persistence';
import { openPersistence } from './persistence';
import { readHostJson } from './host-json';
import { durableClientData } from './http/durable-routes';
import { HttpTriggers } from './http/http-triggers';
import { adminRoutes } from './http/admin-routes';
import { listenHostServer } from './http/server';
import { closeStreamProxy } from './http/stream-proxy';
import { invoke, type InvocationOutcome, type RpcTypedData } from './invoker';
import { loadEntry } from './loader';
import { disabledFunctions, unsupportedDisabled } from './disabled-functions';
import { checkRegistrations, describeFunctions } from './registrations';
import type { ServiceBusEmulator } from './servicebus';
import { attachServiceBusTriggers, startServiceBus } from './servicebus-wiring';
import { TimerTriggers } from './timers';

export interface LocalHostOptions {
  /** The app's entry file (TypeScript under jest or tsx, or the built dist/src/index.js). */
  entry?: string;
  /** Or: loads the app yourself (in jest, wrap the require in jest.isolateModules). */
  load?: () => void;
  clock?: Clock;
  /** 0 (the default) = a free port; `npm run dev` uses 7071. */
  port?: number;
  /** host.json of the app (route prefix, Durable and Service Bus settings). */
  hostJsonPath?: string;
  /** App settings put into process.env before the app loads (as func start reads local.settings.json). */
  env?: Record<string, string>;
  /** Runs the Service Bus emulation for these entities; its AMQP connection string goes into ServiceBusConnection. */
  serviceBus?: { topology: MessagingTopology; amqpPort?: number; connectionSetting?: string };
  /**
   * Keeps Durable state and the Service Bus emulation's messages across host restarts (both in the
   * same Redis or directory); in-flight orchestrations resume and accepted messages come back.
   */
  persistence?: PersistenceOption;
  /** Fire timer triggers on their schedules (dev mode). Off by default: tests call fireTimer(). */
  runTimers?: boolean;
  /** Purge finished orchestrations this long after they finish (0, the default: keep them). */
  durableRetentionSeconds?: number;
  /** Overrides host.json extensions.durableTask.hubName. */
  taskHubName?: string;
  quiet?: boolean;
}

export interface LocalHost {
  baseUrl: string;
  clock: Clock;
  /** Start, query, raise events to, terminate, suspend, resume, purge and wait for orchestrations. */
  durable: DurableBackend;
  functions: Map<string, RegisteredFunction>;
  /** The Service Bus emulation, when started (peek, deadLetters, send, whenIdle). */
  serviceBus?: ServiceBusEmulator;
  serviceBusConnectionString?: string;
  /** Orchestrations found running in the persisted state and resumed at start-up. */
  resumedInstances: number;
  /** Runs any registered function directly with RPC-shaped trigger data. */
  invoke(
    name: string,
    triggerData: RpcTypedData,
    triggerMetadata?: Record<string, RpcTypedData>,
  ): Promise<InvocationOutcome>;
  /** Fires a timer trigger now, with the TimerInfo the Functions host would send. */
  fireTimer(name: string, options?: { isPastDue?: boolean }): Promise<InvocationOutcome>;
  /** Forgets every orchestration and every Service Bus message (memory and persisted state). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Loads an app the way the Functions host does (its own @azure/functions-core in place) and runs it:
 * orchestrations on the Durable backend, the Durable HTTP API and the HTTP triggers on a real port,
 * Service Bus triggers fed by the emulation, timer triggers on their schedules or on demand.
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  Object.assign(process.env, options.env ?? {});
  const hostJson = readHostJson(options.hostJsonPath);
  const taskHubName = options.taskHubName ?? hostJson.taskHubName;
  const clock = options.clock ?? new SystemClock();
  // What has been started so far, stopped in reverse order by stop() or when start-up fails half way.
  const started: Array<() => unknown> = [];
  const stopStarted = async () => {
    for (const stop of started.splice(0).reverse()) await stop();
  };
  try {
    const persistence = options.persistence && openPersistence(options.persistence, taskHubName);
    if (persistence) started.push(() => persistence.durable.close());
    const serviceBus = options.serviceBus
      ? await startServiceBus(options.serviceBus, hostJson.serviceBus, clock, persistence?.serviceBus)
      : undefined;
    if (serviceBus) started.push(() => serviceBus.emulator.close());
    else await persistence?.serviceBus?.close();
    const functions = loadApp(options);
    // The worker's app lifecycle hooks (app.hook.appStart / appTerminate): start after loading,
    // terminate when the host stops, after triggers, timers and the server have stopped (the last
    // thing pushed stops first), so the app can close its connections before Redis goes away.
    const lifecycle = appLifecycle(coreRegistry().hooks);
    await lifecycle.start();
    started.push(() => lifecycle.terminate());
    const disabled = disabledFunctions(functions.values());
    const problems = [
      ...checkRegistrations(functions.values(), { serviceBus: serviceBus !== undefined }),
      ...unsupportedDisabled(functions.values(), disabled),
    ];
    if (problems.length > 0) {
      throw new Error(`The app registers functions the local host cannot run:\n  ${problems.join('\n  ')}`);
    }
    // As the worker does at start-up: the library reports its capabilities, including the address of
    // its HTTP stream proxy when the app enabled streaming.
    const model = [...functions.values()][0]?.programmingModel ?? coreRegistry().programmingModel;
    const capabilities = (await model?.getCapabilities({})) ?? {};
    started.push(() => closeStreamProxy(capabilities.HttpUri));

    // Activities may declare a durable client input (an activity that raises an event on another
    // instance); its value needs the server's address, known once it listens.
    let activityInputs: Record<string, RpcTypedData> = {};
    const durable = new DurableBackend({
      functions: () => functions,
      clock,
      maxConcurrentActivities: hostJson.maxConcurrentActivities,
      store: persistence?.durable,
      activityInputs: () => activityInputs,
      retainFinishedMs: (options.durableRetentionSeconds ?? 0) * 1000,
    });
    started.push(() => durable.close());
    const server = await listenHostServer(durable, options.port ?? 0);
    started.push(() => server.close());
    const baseUrl = server.baseUrl;
    const clientData = { json: JSON.stringify(durableClientData(baseUrl, taskHubName)) };
    const inputsByType = { durableClient: clientData, orchestrationClient: clientData };
    activityInputs = inputsByType;
    // Disabled functions get no listener: HTTP answers 404, no message or schedule triggers them.
    const listening = [...functions.values()].filter((fn) => !disabled.has(fn.metadata.name));
    server.setTriggers(new HttpTriggers(listening, hostJson.routePrefix, capabilities.HttpUri, inputsByType));
    const detach = serviceBus ? attachServiceBusTriggers(serviceBus.emulator, listening, inputsByType) : [];
    started.push(() => detach.forEach((d) => d()));
    const timers = new TimerTriggers(
      functions.values(),
      clock,
      (fn, triggerData) => invoke(fn, { triggerData, inputsByType }),
      (message) => console.error(message),
    );
    started.push(() => timers.stop());
    server.setAdmin(
      adminRoutes(
        timers,
        (name) => functions.has(name),
        (message) => console.error(message),
      ),
    );
    const resumedInstances = await durable.restore();
    if (options.runTimers) timers.start(disabled);
    if (!options.quiet) {
      console.log(describeFunctions(functions.values(), baseUrl, hostJson.routePrefix, disabled));
      if (resumedInstances > 0)
        console.log(`\nResumed ${resumedInstances} orchestration(s) from persisted state.`);
      if (serviceBus?.restoredMessages)
        console.log(`Restored ${serviceBus.restoredMessages} Service Bus message(s) from persisted state.`);
    }

    return {
      baseUrl,
      clock,
      durable,
      functions,
      serviceBus: serviceBus?.emulator,
      serviceBusConnectionString: serviceBus?.connectionString,
      resumedInstances,
      async invoke(name, triggerData, triggerMetadata) {
        const fn = functions.get(name);
        if (!fn) throw new Error(`No function named '${name}' is registered`);
        return invoke(fn, { triggerData, triggerMetadata, inputsByType });
      },
      fireTimer: (name, fireOptions) => timers.fire(name, fireOptions),
      async reset() {
        await durable.reset();
        await serviceBus?.emulator.reset();
      },
      stop: stopStarted,
    };
  } catch (error) {
    await stopStarted();
    throw error;
  }
}

/**
 * Runs the app's registered appStart / appTerminate hooks. As in the worker, app-level hooks share
 * one `hookData` object: what appStart stores there, appTerminate reads.
 */
function appLifecycle(hooks: Map<string, Set<(context: unknown) => unknown>>) {
  const hookData: Record<string, unknown> = {};
  const run = async (name: 'appStart' | 'appTerminate') => {
    for (const hook of [...(hooks.get(name) ?? [])]) await hook({ hookData });
  };
  return { start: () => run('appStart'), terminate: () => run('appTerminate') };
}

function loadApp(options: LocalHostOptions): Map<string, RegisteredFunction> {
  resetCoreRegistry();
  if (options.entry) loadEntry(options.entry);
  else if (options.load) options.load();
  else throw new Error('startLocalHost needs an entry (the app entry file) or a load() function');
  return new Map(coreRegistry().functions);
}
