import rhea, { type Delivery, type Receiver, type Sender } from 'rhea';
import type { Broker } from '../broker';
import { ServiceBusEmulatorError } from '../errors';
import type { ApplicationPropertyValue } from '../message';
import type { MessageStore } from '../message-store';
import { fromRheaMessage, lockTokenBytes, toRheaMessage, unbatch, type RheaMessage } from '../amqp-message';

interface LinkAttach {
  source?: { address?: string; filter?: Record<string, unknown> };
  target?: { address?: string };
  snd_settle_mode?: number;
  max_message_size?: number;
  properties?: Record<string, unknown>;
}

/** The attach frames of a link (rhea keeps them on `remote` / `local`; its typings do not show them). */
export function remoteAttach(link: Sender | Receiver): LinkAttach {
  return (link as unknown as { remote: { attach?: LinkAttach } }).remote.attach ?? {};
}

export function localAttach(link: Sender | Receiver): LinkAttach {
  return (link as unknown as { local: { attach: LinkAttach } }).local.attach;
}

/** Message format of a batch: the SDK's sendMessages(batch) packs messages as data sections. */
const BATCH_FORMAT = 0x80013700;
const SESSION_FILTER = 'com.microsoft:session-filter';

const lockedDeliveries = new WeakMap<Delivery, { store: MessageStore; token: string }>();

// rhea has these outcome constructors at runtime; its typings leave them out.
const outcomes = rhea.message as unknown as Record<
  'accepted' | 'released' | 'modified' | 'rejected',
  (state?: unknown) => { described(): unknown }
>;

function refuse(delivery: Delivery, error: unknown): void {
  const known = error instanceof ServiceBusEmulatorError;
  const condition = known ? error.amqpCondition : 'amqp:internal-error';
  const description = error instanceof Error ? error.message : String(error);
  delivery.update(true, outcomes.rejected({ error: { condition, description } }).described());
}

/**
 * A message (or batch) a client's sender link delivered: into the broker, then accepted once it is
 * persisted (when the broker persists), or rejected.
 */
export async function acceptIncoming(
  broker: Broker,
  address: string,
  message: RheaMessage,
  delivery: Delivery,
): Promise<void> {
  try {
    const format = (delivery as unknown as { format?: number }).format;
    const messages = format === BATCH_FORMAT ? unbatch(message) : [message];
    for (const one of messages) broker.sendEncoded(address, fromRheaMessage(one));
    await broker.persisted();
    delivery.accept();
  } catch (error) {
    refuse(delivery, error);
  }
}

/** A client's receiver link: hands out locked messages as credit allows; receive-and-delete completes at once. */
export function startDelivering(
  broker: Broker,
  sender: Sender,
  address: string,
  source: { filter?: Record<string, unknown> },
): void {
  let store: MessageStore;
  try {
    store = broker.store(address);
  } catch (error) {
    sender.close({ condition: 'amqp:not-found', description: (error as Error).message });
    return;
  }
  const session = openSession(store, sender, source);
  if (session === false) return;
  const receiveAndDelete = remoteAttach(sender).snd_settle_mode === 1;
  const pump = () => {
    while (sender.is_open() && sender.sendable()) {
      const [message] = store.receive(1, session);
      const token = message?.lock?.token;
      if (!message || !token) return;
      const delivery = sender.send(toRheaMessage(message) as never, lockTokenBytes(token));
      if (receiveAndDelete) store.complete(token);
      else lockedDeliveries.set(delivery, { store, token });
    }
  };
  const stop = store.onAvailable(pump);
  const detach = () => {
    stop();
    if (session !== undefined) store.releaseSession(session);
  };
  sender.on('sendable', pump);
  sender.on('sender_draining', () => {
    pump();
    sender.set_drained(true);
  });
  sender.on('sender_close', detach);
  sender.connection.on('disconnected', detach);
  pump();
}

/**
 * A session receiver (its source carries `com.microsoft:session-filter`: a session id, or none for
 * the next available session) locks its session for as long as the link is open, and is told which
 * session it got and until when in the attach it gets back. Returns the session id, undefined for a
 * session-less receiver, or false when the link was refused (and closed) as Service Bus refuses it.
 */
function openSession(
  store: MessageStore,
  sender: Sender,
  source: { filter?: Record<string, unknown> },
): string | undefined | false {
  const filter = source.filter ?? {};
  const refuse = (condition: string, description: string) => {
    // The attach goes back naming no session, then the link is detached with the error.
    sender.set_source({ ...source, filter: {} } as never);
    sender.close({ condition, description });
    return false as const;
  };
  if (!(SESSION_FILTER in filter)) {
    if (!store.settings.requiresSession) return undefined;
    return refuse(
      'amqp:not-allowed',
      `It is not possible for an entity that requires sessions to create a non-sessionful message receiver (${store.path}).`,
    );
  }
  if (!store.settings.requiresSession) {
    return refuse(
      'amqp:not-allowed',
      `It is not possible for an entity that does not require sessions to create a sessionful message receiver (${store.path}).`,
    );
  }
  const requested = filter[SESSION_FILTER];
  const session = store.lockSession(typeof requested === 'string' ? requested : undefined);
  if (session === undefined) {
    return typeof requested === 'string'
      ? refuse(
          'com.microsoft:session-cannot-be-locked',
          `The requested session '${requested}' cannot be accepted. It may be locked by another receiver.`,
        )
      : refuse('com.microsoft:timeout', 'No unlocked session with messages is available; try again later.');
  }
  sender.set_source({ ...source, filter: { ...filter, [SESSION_FILTER]: session } } as never);
  localAttach(sender).properties = {
    'com.microsoft:locked-until-utc': dotNetTicks(Date.now() + store.settings.lockDurationMs),
  };
  return session;
}

/** A time as .NET ticks (100 ns since 0001-01-01) in an AMQP long, as Service Bus sends lock expiries. */
export function dotNetTicks(ms: number): unknown {
  const ticks = BigInt(Math.round(ms)) * 10_000n + 621_355_968_000_000_000n;
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(ticks);
  return rhea.types.wrap_long(bytes as never);
}

/** Complete / abandon / defer / dead-letter, as the SDK expresses them in dispositions; answered once persisted. */
export async function settleDisposition(
  broker: Broker,
  outcome: 'accepted' | 'released' | 'modified' | 'rejected',
  delivery: Delivery,
): Promise<void> {
  const locked = lockedDeliveries.get(delivery);
  if (!locked) return;
  const { store, token } = locked;
  const state = (delivery as unknown as { remote_state?: Record<string, unknown> }).remote_state ?? {};
  try {
    if (outcome === 'accepted') store.complete(token);
    else if (outcome === 'released') store.abandon(token);
    else if (outcome === 'modified') {
      const props = state.message_annotations as Record<string, ApplicationPropertyValue> | undefined;
      if (state.undeliverable_here) store.defer(token, props);
      else store.abandon(token, props);
    } else {
      const info = ((state.error as { info?: Record<string, unknown> } | undefined)?.info ?? {}) as Record<
        string,
        ApplicationPropertyValue
      >;
      const { DeadLetterReason, DeadLetterErrorDescription, ...props } = info;
      store.deadLetter(
        token,
        {
          reason:
            DeadLetterReason === undefined || DeadLetterReason === null
              ? undefined
              : String(DeadLetterReason),
          description:
            DeadLetterErrorDescription === undefined || DeadLetterErrorDescription === null
              ? undefined
              : String(DeadLetterErrorDescription),
        },
        props,
      );
    }
    lockedDeliveries.delete(delivery);
    await broker.persisted();
    // Answer with the same outcome, settled: the SDK waits for this before it resolves.
    // (A rejected outcome goes back without its error: the SDK reads any error as a failed settlement.)
    const echo = outcome === 'modified' ? outcomes.modified(state) : outcomes[outcome]();
    delivery.update(true, echo.described());
  } catch (error) {
    refuse(delivery, error);
  }
}
