/**
 * The seam between the local host (tools/funchost) and its Service Bus emulation
 * (tools/funchost/servicebus). The host reads the app's serviceBusTrigger registrations and attaches
 * them here; the emulator owns every broker rule (locks, sessions, delivery count, dead-lettering,
 * duplicate detection, filters) and calls back into the host to run the function.
 */

/** An RPC TypedData value as the Functions host sends it to the Node worker ({ json }, { string }, { bytes }, { modelBindingData }, ...). */
export type RpcTypedDataLike = Record<string, unknown>;

export interface ServiceBusTriggerSpec {
  functionName: string;
  /** Exactly one of queueName or topicName + subscriptionName. */
  queueName?: string;
  topicName?: string;
  subscriptionName?: string;
  isSessionsEnabled: boolean;
  cardinality: 'one' | 'many';
  /** sdkBinding triggers (@azure/functions-extensions-servicebus) settle messages themselves. */
  sdkBinding: boolean;
  autoCompleteMessages: boolean;
}

export interface ServiceBusDelivery {
  /** The trigger binding's value, as the real host would put it in InvocationRequest.inputData. */
  triggerData: RpcTypedDataLike;
  /** InvocationRequest.triggerMetadata: name -> TypedData (the worker camel-cases the keys). */
  triggerMetadata: Record<string, RpcTypedDataLike>;
}

/** Runs the function once. Resolves on success; a rejection means the function threw (the message is abandoned). */
export type InvokeTrigger = (delivery: ServiceBusDelivery) => Promise<void>;

export interface ServiceBusHostSettings {
  /** host.json extensions.serviceBus, defaults per local-host-contract.md §3. */
  maxConcurrentCalls: number;
  maxConcurrentSessions: number;
  maxMessageBatchSize: number;
  autoCompleteMessages: boolean;
  maxAutoLockRenewalDurationMs: number;
}
