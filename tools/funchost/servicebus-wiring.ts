import type { Clock } from './clock';
import type { RegisteredFunction } from './core-api';
import { invoke, triggerBinding, type RpcTypedData } from './invoker';
import { ServiceBusEmulator, type ServiceBusHostSettings, type ServiceBusTriggerSpec } from './servicebus';
import type { RecordStore } from './servicebus/persistence/journal';
import type { MessagingTopology } from '../../src/lib/messaging/topology';

/**
 * Starts the Service Bus emulation before the app loads: the AMQP endpoint the app's own
 * @azure/service-bus client sends into (its connection string goes into the app's connection
 * setting, as `func start` reads local.settings.json), and the Settlement gRPC service, whose address
 * the sdkBinding extension reads from the worker's command line.
 */
export async function startServiceBus(
  options: { topology: MessagingTopology; amqpPort?: number; connectionSetting?: string },
  settings: ServiceBusHostSettings,
  clock: Clock,
  persistence?: RecordStore,
) {
  const emulator = new ServiceBusEmulator({ topology: options.topology, settings, clock, persistence });
  // Messages a stopped host had accepted come back before anything can send or receive.
  const restoredMessages = await emulator.restore();
  const settlement = await emulator.startSettlement();
  setWorkerArgs({
    host: settlement.host,
    port: String(settlement.port),
    'functions-grpc-max-message-length': '2147483647',
  });
  const amqp = await emulator.listenAmqp({ port: options.amqpPort ?? 0 });
  process.env[options.connectionSetting ?? 'ServiceBusConnection'] = amqp.connectionString;
  // Where the app's administration client reads queue depths (the real emulator's port 5300).
  process.env.SERVICEBUS_EMULATOR_MANAGEMENT_URL = (await emulator.listenManagement()).url;
  return { emulator, connectionString: amqp.connectionString, amqpPort: amqp.port, restoredMessages };
}

/** Every serviceBusTrigger of the app, attached to its queue or subscription. */
export function attachServiceBusTriggers(
  emulator: ServiceBusEmulator,
  functions: Iterable<RegisteredFunction>,
  inputsByType: Record<string, RpcTypedData>,
): Array<() => void> {
  const detach: Array<() => void> = [];
  for (const fn of functions) {
    const trigger = triggerBinding(fn);
    if (trigger.type !== 'serviceBusTrigger') continue;
    const b = fn.metadata.bindings[trigger.name]!;
    const spec: ServiceBusTriggerSpec = {
      functionName: fn.metadata.name,
      queueName: b.queueName as string | undefined,
      topicName: b.topicName as string | undefined,
      subscriptionName: b.subscriptionName as string | undefined,
      isSessionsEnabled: b.isSessionsEnabled === true,
      cardinality: b.cardinality === 'many' ? 'many' : 'one',
      sdkBinding: b.sdkBinding === true,
      autoCompleteMessages: b.autoCompleteMessages !== false,
    };
    detach.push(
      emulator.attachTrigger(spec, async (delivery) => {
        const outcome = await invoke(fn, {
          triggerData: delivery.triggerData,
          triggerMetadata: delivery.triggerMetadata,
          inputsByType,
        });
        if (outcome.error !== undefined) {
          // As the Functions host logs a failed invocation; the emulator then abandons the message.
          console.error(`Function '${fn.metadata.name}' failed:`, outcome.error);
          throw outcome.error;
        }
      }),
    );
  }
  return detach;
}

/** Replaces `--name value` pairs in process.argv (the worker's command line). */
function setWorkerArgs(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    const at = process.argv.indexOf(`--${name}`);
    if (at >= 0) process.argv.splice(at, 2);
    process.argv.push(`--${name}`, value);
  }
}
