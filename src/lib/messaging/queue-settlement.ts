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
      propertiesToModify?: undefined,
      deadletterReason?: string | { value: string },
      deadletterErrorDescription?: string | { value: string },
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

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The message body as the producer sent it, parsed here rather than trusted to the extension: from 0.4
 * on the extension hands over the raw bytes (a Buffer), before that it decoded JSON itself. Bytes are
 * read as UTF-8 JSON; bytes that are not JSON come back as their text, and bytes that are not UTF-8 as
 * they are, so the contract's validation reports the body as the wrong type and the message is
 * dead-lettered with that reason instead of failing the invocation (which would only retry it).
 */
export function messageBody(message: ServiceBusReceivedMessage): unknown {
  const body: unknown = message.body;
  if (!(body instanceof Uint8Array)) return body; // already decoded (extension before 0.4)
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return body;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Whether the installed extension takes the dead-letter reason as a plain string. Its settlement proto
 * field is a google.protobuf.StringValue: 0.2.x passes the argument to the proto as it is (so only
 * `{ value }` serialises, a string fails before the call), 0.3 and later wrap a string themselves (so
 * `{ value }` would be wrapped twice). Read once from the extension's own package.json.
 */
export function extensionWrapsReason(version = installedExtensionVersion()): boolean {
  const [major = 0, minor = 0] = version.split(/[.-]/).map(Number);
  return major > 0 || minor >= 3;
}

function installedExtensionVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('@azure/functions-extensions-servicebus/package.json') as { version: string }).version;
}

const reasonsAsStrings = extensionWrapsReason();
const asReason = (text: string) => (reasonsAsStrings ? text : { value: text });

/** Dead-letters with a plain-text reason and description (the description cut to Service Bus's 4096 chars). */
export async function deadLetter(
  actions: SettlementContext['actions'],
  message: ServiceBusReceivedMessage,
  reason: string,
  description: string,
): Promise<void> {
  await actions.deadletter(message, undefined, asReason(reason), asReason(description.slice(0, 4096)));
}
