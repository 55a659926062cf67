import type { TokenCredential } from '@azure/identity';
import { ServiceBusAdministrationClient } from '@azure/service-bus';
import type { Settings } from '../config/settings';
import { QueueNames } from './topology';

export interface QueueCounts {
  queue: string;
  active: number;
  deadLetter: number;
}

export type QueueRuntimeReader = Pick<ServiceBusAdministrationClient, 'getQueueRuntimeProperties'>;

/** Active and dead-lettered messages of every queue of the topology, read in parallel. */
export async function readQueueCounts(
  admin: QueueRuntimeReader,
  queues: readonly string[] = Object.values(QueueNames),
): Promise<QueueCounts[]> {
  return Promise.all(
    queues.map(async (queue) => {
      const properties = await admin.getQueueRuntimeProperties(queue);
      return { queue, active: properties.activeMessageCount, deadLetter: properties.deadLetterMessageCount };
    }),
  );
}

/**
 * The administration client (Atom management API over HTTPS). In Azure with the app's identity (it
 * holds Data Owner, which includes management reads); with a connection string otherwise. For an
 * emulator connection string (UseDevelopmentEmulator=true) the client's HTTPS URL is pointed at the
 * emulator's plain-HTTP management endpoint, as the Service Bus emulator serves it (port 5300).
 */
export function createAdministrationClient(
  settings: Settings['serviceBus'],
  credential: TokenCredential,
): ServiceBusAdministrationClient {
  const { connectionString, fullyQualifiedNamespace } = settings;
  if (connectionString && /UseDevelopmentEmulator=true/i.test(connectionString)) {
    const target = new URL(settings.emulatorManagementUrl ?? `http://${emulatorHost(connectionString)}:5300`);
    const client = new ServiceBusAdministrationClient(connectionString);
    // The client builds https://<namespace>/<entity> URLs and takes no extra policies in its options;
    // its pipeline is public, so one policy re-targets each request at the emulator.
    client.pipeline.addPolicy({
      name: 'emulatorManagementEndpoint',
      sendRequest: (request, next) => {
        const url = new URL(request.url);
        url.protocol = target.protocol;
        url.host = target.host;
        request.url = url.toString();
        request.allowInsecureConnection = true;
        return next(request);
      },
    });
    return client;
  }
  if (connectionString) return new ServiceBusAdministrationClient(connectionString);
  if (fullyQualifiedNamespace) return new ServiceBusAdministrationClient(fullyQualifiedNamespace, credential);
  throw new Error('ServiceBusConnection or ServiceBusConnection__fullyQualifiedNamespace must be set');
}

function emulatorHost(connectionString: string): string {
  return /Endpoint=sb:\/\/([^;:/]+)/i.exec(connectionString)?.[1] ?? 'localhost';
}
