import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import rhea from 'rhea';
import type { Broker } from './broker';
import { ServiceBusEmulatorError } from './errors';
import type { ApplicationPropertyValue } from './message';

/**
 * The Settlement gRPC service the Functions host runs for @azure/functions-extensions-servicebus
 * (sdkBinding triggers): complete / abandon / deadletter / defer / renewMessageLock by lock token, and
 * session state. It loads the extension's own settlement.proto, so both ends agree on the wire format.
 */
export interface SettlementServer {
  address: { host: string; port: number };
  close(): Promise<void>;
}

const PROTO_PATH = path.join(
  path.dirname(require.resolve('@azure/functions-extensions-servicebus/package.json')),
  'dist/proto/settlement.proto',
);

type Handler = grpc.handleUnaryCall<Record<string, unknown>, unknown>;

/** google.protobuf.StringValue arrives as { value } (or null when unset). */
const stringValue = (v: unknown): string | undefined =>
  v && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'string'
    ? (v as { value: string }).value
    : undefined;

/** propertiesToModify: the AMQP encoding of a map of application properties (empty = none). */
function propertiesToModify(bytes: unknown): Record<string, ApplicationPropertyValue> | undefined {
  if (!Buffer.isBuffer(bytes) || bytes.length === 0) return undefined;
  // rhea's typings leave its Reader off the `types` interface; it is there at runtime.
  const { Reader } = rhea.types as unknown as { Reader: new (b: Buffer) => { read(): unknown } };
  const value = new Reader(bytes).read();
  return rhea.types.unwrap_map_simple(value) as Record<string, ApplicationPropertyValue>;
}

export async function startSettlementServer(broker: Broker, host = '127.0.0.1'): Promise<SettlementServer> {
  const definition = protoLoader.loadSync(PROTO_PATH, {
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
    includeDirs: [path.dirname(PROTO_PATH)],
  });
  const service = (grpc.loadPackageDefinition(definition).Settlement as grpc.ServiceClientConstructor)
    .service;
  const sessionState = new Map<string, Buffer>();

  const byToken =
    (settle: (request: Record<string, unknown>, token: string) => unknown): Handler =>
    (call, callback) => {
      try {
        const token = String(call.request.locktoken ?? '');
        const reply = settle(call.request, token) ?? {};
        // Answered once the settlement is persisted (when the broker persists).
        broker.persisted().then(
          () => callback(null, reply),
          (error: unknown) => callback(toGrpcError(error)),
        );
      } catch (error) {
        callback(toGrpcError(error));
      }
    };

  const server = new grpc.Server();
  server.addService(service, {
    complete: byToken((_, token) => broker.storeHoldingLock(token).complete(token)),
    abandon: byToken((r, token) =>
      broker.storeHoldingLock(token).abandon(token, propertiesToModify(r.propertiesToModify)),
    ),
    defer: byToken((r, token) =>
      broker.storeHoldingLock(token).defer(token, propertiesToModify(r.propertiesToModify)),
    ),
    deadletter: byToken((r, token) =>
      broker
        .storeHoldingLock(token)
        .deadLetter(
          token,
          { reason: stringValue(r.deadletterReason), description: stringValue(r.deadletterErrorDescription) },
          propertiesToModify(r.propertiesToModify),
        ),
    ),
    renewMessageLock: byToken((_, token) => void broker.storeHoldingLock(token).renewLock(token)),
    getSessionState: ((call, callback) =>
      callback(null, {
        sessionState: sessionState.get(String(call.request.sessionId)) ?? Buffer.alloc(0),
      })) as Handler,
    setSessionState: ((call, callback) => {
      sessionState.set(String(call.request.sessionId), Buffer.from(call.request.sessionState as Buffer));
      callback(null, {});
    }) as Handler,
    // The trigger runner holds and releases sessions itself; releasing early is accepted and ignored.
    releaseSession: ((_call, callback) => callback(null, {})) as Handler,
    renewSessionLock: ((_call, callback) => {
      const lockedUntil = new Date(Date.now() + 60_000);
      callback(null, { lockedUntil: { seconds: Math.floor(lockedUntil.getTime() / 1000), nanos: 0 } });
    }) as Handler,
  });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:0`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    address: { host, port },
    close: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}

function toGrpcError(error: unknown): grpc.ServiceError {
  const known = error instanceof ServiceBusEmulatorError;
  const status =
    known && error.code === 'MessageLockLost' ? grpc.status.FAILED_PRECONDITION : grpc.status.INTERNAL;
  return Object.assign(new Error(error instanceof Error ? error.message : String(error)), {
    code: status,
    details: known ? `${error.code}: ${error.message}` : String(error),
    metadata: new grpc.Metadata(),
  });
}
