import type { AddressInfo, Server, Socket } from 'node:net';
import rhea, { type EventContext, type Sender } from 'rhea';
import type { Clock } from '../../clock';
import type { Broker } from '../broker';
import { answerCbs, answerManagement, replyMessage } from './request-response';
import {
  acceptIncoming,
  localAttach,
  remoteAttach,
  settleDisposition,
  startDelivering,
} from './entity-links';
import type { RheaMessage } from '../amqp-message';

/**
 * An AMQP 1.0 endpoint with enough of Service Bus's dialect for the unmodified @azure/service-bus
 * client (connection string with UseDevelopmentEmulator=true: plain TCP, SASL ANONYMOUS): `$cbs`,
 * sender links to queues and topics, receiver links (peek-lock or receive-and-delete) on queues,
 * subscriptions and their `$deadletterqueue`, dispositions, and `<entity>/$management`.
 */
export interface AmqpListener {
  port: number;
  connectionString: string;
  close(): Promise<void>;
}

const MANAGEMENT_SUFFIX = '/$management';

export async function startAmqpServer(broker: Broker, _clock: Clock, port: number): Promise<AmqpListener> {
  const container = rhea.create_container({ id: 'local-servicebus', autoaccept: false });
  container.sasl_server_mechanisms.enable_anonymous();
  const replyLinks = new WeakMap<object, Map<string, Sender>>();

  container.on('sender_open', (context: EventContext) => {
    const sender = context.sender;
    if (!sender) return;
    const source = remoteAttach(sender).source ?? {};
    const target = remoteAttach(sender).target ?? {};
    sender.set_source(source as never);
    sender.set_target(target as never);
    const address = String(source.address ?? '');
    if (address === '$cbs' || address.endsWith(MANAGEMENT_SUFFIX)) {
      const links = replyLinks.get(context.connection) ?? new Map<string, Sender>();
      links.set(String(target.address ?? address), sender);
      replyLinks.set(context.connection, links);
      return;
    }
    startDelivering(broker, sender, address, source);
  });

  container.on('receiver_open', (context: EventContext) => {
    const receiver = context.receiver;
    if (!receiver) return;
    const target = remoteAttach(receiver).target ?? {};
    receiver.set_target(target as never);
    receiver.set_source((remoteAttach(receiver).source ?? {}) as never);
    const address = String(target.address ?? '');
    if (address !== '$cbs' && !address.endsWith(MANAGEMENT_SUFFIX) && !broker.isSendTarget(address)) {
      receiver.close({
        condition: 'amqp:not-found',
        description: `The messaging entity '${address}' could not be found.`,
      });
      return;
    }
    // Service Bus advertises its maximum message size (here Premium's 100 MB) for batch sizing.
    localAttach(receiver).max_message_size = 100 * 1024 * 1024;
  });

  container.on('message', (context: EventContext) => {
    const receiver = context.receiver;
    const message = context.message as unknown as RheaMessage | undefined;
    if (!receiver || !message || !context.delivery) return;
    const address = String(remoteAttach(receiver).target?.address ?? '');
    if (address === '$cbs' || address.endsWith(MANAGEMENT_SUFFIX)) {
      context.delivery.accept();
      const reply =
        address === '$cbs'
          ? answerCbs(message)
          : answerManagement(broker, address.slice(0, -MANAGEMENT_SUFFIX.length), message);
      const links = replyLinks.get(context.connection);
      const replySender = links?.get(String(message.reply_to ?? '')) ?? [...(links?.values() ?? [])][0];
      // A settlement over $management is answered once persisted, like one over a link.
      void broker.persisted().then(
        () => replySender?.send(replyMessage(message, reply) as never),
        (error: unknown) =>
          replySender?.send(replyMessage(message, { status: 500, description: String(error) }) as never),
      );
      return;
    }
    void acceptIncoming(broker, address, message, context.delivery);
  });

  for (const outcome of ['accepted', 'released', 'modified', 'rejected'] as const) {
    container.on(outcome, (context: EventContext) => {
      if (context.delivery) void settleDisposition(broker, outcome, context.delivery);
    });
  }
  // Links and connections a client drops are its business; log nothing, keep serving.
  container.on('error', () => undefined);
  container.on('disconnected', () => undefined);

  const server: Server = container.listen({ port, host: '127.0.0.1' }) as unknown as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    connectionString: `Endpoint=sb://127.0.0.1:${bound};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=local;UseDevelopmentEmulator=true`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open client connections would keep close() waiting: drop them.
        for (const socket of sockets) socket.destroy();
      }),
  };
}
