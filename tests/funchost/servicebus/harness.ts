import { VirtualClock } from '../../../tools/funchost/clock';
import { resetCoreRegistry, type RegisteredFunction } from '../../../tools/funchost/core-api';
import { invoke } from '../../../tools/funchost/invoker';
import {
  ServiceBusEmulator,
  type InvokeTrigger,
  type ServiceBusHostSettings,
  type ServiceBusTriggerSpec,
} from '../../../tools/funchost/servicebus';
import { topology, type MessagingTopology } from '../../../src/lib/messaging/topology';

/** host.json extensions.serviceBus defaults (local-host-contract.md §3), overridable per test. */
export function hostSettings(overrides: Partial<ServiceBusHostSettings> = {}): ServiceBusHostSettings {
  return {
    maxConcurrentCalls: 16,
    maxConcurrentSessions: 8,
    maxMessageBatchSize: 1000,
    autoCompleteMessages: true,
    maxAutoLockRenewalDurationMs: 5 * 60_000,
    ...overrides,
  };
}

export function newEmulator(
  settings: Partial<ServiceBusHostSettings> = {},
  entities: MessagingTopology = topology,
): { emulator: ServiceBusEmulator; clock: VirtualClock } {
  const clock = new VirtualClock(Date.UTC(2026, 2, 1, 9, 0));
  return {
    clock,
    emulator: new ServiceBusEmulator({ topology: entities, settings: hostSettings(settings), clock }),
  };
}

export function triggerSpec(overrides: Partial<ServiceBusTriggerSpec>): ServiceBusTriggerSpec {
  return {
    functionName: 'fn',
    isSessionsEnabled: false,
    cardinality: 'one',
    sdkBinding: false,
    autoCompleteMessages: true,
    ...overrides,
  };
}

/** A promise a test resolves by hand: holds a function invocation open. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

export type Handler = (trigger: unknown, context: { triggerMetadata?: Record<string, unknown> }) => unknown;

/**
 * Registers `handler` as a serviceBusTrigger through the real @azure/functions (its registration and
 * RPC converters run, as under the Node worker) and returns the InvokeTrigger the emulator calls.
 * `extension` also loads @azure/functions-extensions-servicebus in the same module registry.
 */
export function functionInvoker(
  options: {
    queueName?: string;
    topicName?: string;
    subscriptionName?: string;
    sdkBinding?: boolean;
    cardinality?: 'one' | 'many';
    extension?: boolean;
  },
  handler: Handler,
): InvokeTrigger {
  let fn: RegisteredFunction | undefined;
  jest.isolateModules(() => {
    const registry = resetCoreRegistry();
    const { app } = require('@azure/functions') as typeof import('@azure/functions');
    if (options.extension) require('@azure/functions-extensions-servicebus');
    const common = {
      connection: 'ServiceBusConnection',
      cardinality: options.cardinality ?? 'one',
      sdkBinding: options.sdkBinding,
      autoCompleteMessages: options.sdkBinding ? false : undefined,
      handler: handler as never,
    };
    if (options.queueName) app.serviceBusQueue('fn', { ...common, queueName: options.queueName } as never);
    else
      app.serviceBusTopic('fn', {
        ...common,
        topicName: options.topicName,
        subscriptionName: options.subscriptionName,
      } as never);
    fn = registry.functions.get('fn');
  });
  const registered = fn;
  if (!registered) throw new Error('the function did not register');
  return async (delivery) => {
    const outcome = await invoke(registered, delivery);
    if (outcome.error !== undefined) throw outcome.error;
  };
}
