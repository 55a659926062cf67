import type { Broker } from '../broker';
import { ServiceBusEmulatorError } from '../errors';
import { encodeRheaMessage, lockTokenFromBytes, type RheaMessage } from '../amqp-message';
import type { ApplicationPropertyValue } from '../message';
import type { MessageStore } from '../message-store';

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
      case 'com.microsoft:update-disposition':
        return updateDisposition(store, body);
      case 'com.microsoft:renew-session-lock':
        return {
          status: 200,
          description: 'OK',
          body: { expiration: new Date(Date.now() + store.settings.lockDurationMs) },
        };
      case 'com.microsoft:get-session-state': {
        const state = store.sessionState(String(body['session-id']));
        return { status: 200, description: 'OK', body: { 'session-state': state ?? null } };
      }
      case 'com.microsoft:set-session-state': {
        const state = body['session-state'];
        store.setSessionState(String(body['session-id']), Buffer.isBuffer(state) ? state : undefined);
        return { status: 200, description: 'OK', body: {} };
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

/**
 * Settlement through `$management` (what the SDK uses for a message whose link has closed, e.g. a
 * session receiver's): disposition-status completed / abandoned / suspended (dead-letter) / defered.
 */
function updateDisposition(store: MessageStore, body: Record<string, unknown>): Reply {
  const tokens = ((body['lock-tokens'] as unknown[] | undefined) ?? []).map(tokenString);
  const properties = body['properties-to-modify'] as Record<string, ApplicationPropertyValue> | undefined;
  for (const token of tokens) {
    switch (body['disposition-status']) {
      case 'completed':
        store.complete(token);
        break;
      case 'abandoned':
        store.abandon(token, properties);
        break;
      case 'defered':
        store.defer(token, properties);
        break;
      case 'suspended':
        store.deadLetter(
          token,
          {
            reason: optionalString(body['deadletter-reason']),
            description: optionalString(body['deadletter-description']),
          },
          properties,
        );
        break;
      default:
        return {
          status: 400,
          description: `Unknown disposition-status ${String(body['disposition-status'])}`,
        };
    }
  }
  return { status: 200, description: 'OK', body: {} };
}

const optionalString = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

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
