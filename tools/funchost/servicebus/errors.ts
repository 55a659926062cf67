/**
 * Broker errors, named by the ServiceBusError codes @azure/service-bus gives them, and carrying the AMQP
 * error condition the service sends, so the AMQP front end can answer exactly as Service Bus does.
 */
export type ServiceBusErrorCode =
  | 'MessagingEntityNotFound'
  | 'MessageLockLost'
  | 'SessionLockLost'
  | 'SessionCannotBeLocked'
  | 'InvalidOperation';

const AMQP_CONDITIONS: Record<ServiceBusErrorCode, string> = {
  MessagingEntityNotFound: 'amqp:not-found',
  MessageLockLost: 'com.microsoft:message-lock-lost',
  SessionLockLost: 'com.microsoft:session-lock-lost',
  SessionCannotBeLocked: 'com.microsoft:session-cannot-be-locked',
  InvalidOperation: 'amqp:not-allowed',
};

export class ServiceBusEmulatorError extends Error {
  readonly amqpCondition: string;

  constructor(
    readonly code: ServiceBusErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceBusError';
    this.amqpCondition = AMQP_CONDITIONS[code];
  }
}

export const entityNotFound = (path: string) =>
  new ServiceBusEmulatorError(
    'MessagingEntityNotFound',
    `The messaging entity 'sb://127.0.0.1/${path}' could not be found.`,
  );

export const lockLost = () =>
  new ServiceBusEmulatorError(
    'MessageLockLost',
    'The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.',
  );

export const sessionIdMissing = (path: string) =>
  new ServiceBusEmulatorError(
    'InvalidOperation',
    `The SessionId was not set on a message, and it cannot be sent to the entity '${path}'. Entities that have session support enabled can only receive messages that have the SessionId set to a valid value.`,
  );
