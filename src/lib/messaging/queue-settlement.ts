import type { ServiceBusReceivedMessage } from '@azure/service-bus';

// Registers the extension's factory that turns the host's model binding data into messages + actions.
// A require, not an import: its type declarations pull in its TypeScript sources, which do not compile.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('@azure/functions-extensions-servicebus');

/**
 * What an sdkBinding Service Bus trigger receives (@azure/functions-extensions-servicebus). Declared
 * here for the same reason as the require above. Every queue trigger settles through this module, so
 * a change of the extension's contract is made in one place.
 */
export interface SettlementContext {
  messages: ServiceBusReceivedMessage | ServiceBusReceivedMessage[];
  actions: {
    complete(message: ServiceBusReceivedMessage): Promise<void>;
    abandon?(message: ServiceBusReceivedMessage): Promise<void>;
    deadletter(
      message: ServiceBusReceivedMessage,
      propertiesToModify?: Uint8Array,
      deadletterReason?: { value: string },
      deadletterErrorDescription?: { value: string },
    ): Promise<void>;
  };
}

/** The one message of a `cardinality: 'one'` trigger invocation. */
export function singleMessage(trigger: unknown): {
  message: ServiceBusReceivedMessage;
  actions: SettlementContext['actions'];
} {
  const { messages, actions } = trigger as SettlementContext;
  const message = Array.isArray(messages) ? messages[0] : messages;
  if (!message) throw new Error('the trigger delivered no message');
  return { message, actions };
}

/** The message body as the producer sent it (JSON bodies arrive decoded). */
export function messageBody(message: ServiceBusReceivedMessage): unknown {
  return message.body;
}

/** Dead-letters with a reason and a description (the description is cut to Service Bus's 4096 chars). */
export async function deadLetter(
  actions: SettlementContext['actions'],
  message: ServiceBusReceivedMessage,
  reason: string,
  description: string,
): Promise<void> {
  // The preview extension declares these as strings but its gRPC proto takes google.protobuf.StringValue:
  // a plain string fails before the call is made (pinned in tests/funchost/servicebus/sdk-binding.test.ts).
  await actions.deadletter(message, undefined, { value: reason }, { value: description.slice(0, 4096) });
}
