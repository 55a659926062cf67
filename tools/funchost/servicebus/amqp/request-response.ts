import type { Broker } from '../broker';
import { ServiceBusEmulatorError } from '../errors';
import { encodeRheaMessage, lockTokenFromBytes, type RheaMessage } from '../amqp-message';

/**
 * The request-response nodes of Service Bus: `$cbs` (put-token: any token is accepted, the emulator
 * has no auth) and `<entity>/$management` (renew-lock and peek-message; other operations are answered
 * with 501 so a client fails fast instead of waiting for its timeout).
 */
export interface Reply {
  status: number;
  description: string;
  body?: unknown;
}

export function answerCbs(request: RheaMessage): Reply {
  const props = (request.application_properties ?? {}) as Record<string, unknown>;
  if (props.operation !== 'put-token')
    return { status: 400, description: `unknown $cbs operation ${String(props.operation)}` };
  return { status: 202, description: 'Accepted' };
}

export function answerManagement(broker: Broker, entityPath: string, request: RheaMessage): Reply {
  const operation = String(
    (request.application_properties as Record<string, unknown> | undefined)?.operation,
  );
  const body = (request.body ?? {}) as Record<string, unknown>;
  try {
    const store = broker.store(entityPath);
    switch (operation) {
      case 'com.microsoft:renew-lock': {
        const tokens = (body['lock-tokens'] as unknown[] | undefined) ?? [];
        const expirations = tokens.map((t) => new Date(store.renewLock(tokenString(t))));
        return { status: 200, description: 'OK', body: { expirations } };
      }
      case 'com.microsoft:peek-message': {
        const from = Number(body['from-sequence-number'] ?? 0);
        const count = Number(body['message-count'] ?? 1);
        const messages = store.peek(from, count);
        if (messages.length === 0) return { status: 204, description: 'No messages' };
        return {
          status: 200,
          description: 'OK',
          body: { messages: messages.map((m) => ({ message: encodeRheaMessage(m) })) },
        };
      }
      default:
        return { status: 501, description: `The local Service Bus emulator does not implement ${operation}` };
    }
  } catch (error) {
    if (error instanceof ServiceBusEmulatorError) {
      return { status: error.code === 'MessagingEntityNotFound' ? 404 : 410, description: error.message };
    }
    return { status: 500, description: String(error) };
  }
}

/** Lock tokens come as AMQP uuids (RFC byte order in a Buffer) or as strings. */
function tokenString(token: unknown): string {
  if (Buffer.isBuffer(token)) return lockTokenFromBytes(token, false);
  return String(token);
}

export function replyMessage(request: RheaMessage, reply: Reply): RheaMessage {
  const out: RheaMessage = {
    correlation_id: request.message_id,
    to: request.reply_to,
    application_properties: {
      'status-code': reply.status,
      statusCode: reply.status,
      'status-description': reply.description,
      statusDescription: reply.description,
    },
  };
  // rhea writes objects as maps, Dates as timestamps and Buffers as binary: the shapes the SDK reads.
  if (reply.body !== undefined) out.body = reply.body;
  return out;
}
