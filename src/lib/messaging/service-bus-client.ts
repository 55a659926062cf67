import type { TokenCredential } from '@azure/identity';
import { ServiceBusClient } from '@azure/service-bus';
import type { Settings } from '../config/settings';

/**
 * One Service Bus client per process. In Azure it authenticates with the app's managed identity (the credential
 * of config/azure-credential.ts)
 * (ServiceBusConnection__fullyQualifiedNamespace); locally and as the documented fallback it takes a
 * connection string (ServiceBusConnection) — the local host's emulator answers the same client.
 */
export function createServiceBusClient(
  settings: Settings['serviceBus'],
  credential: TokenCredential,
): ServiceBusClient {
  if (settings.connectionString) return new ServiceBusClient(settings.connectionString);
  if (settings.fullyQualifiedNamespace) {
    return new ServiceBusClient(settings.fullyQualifiedNamespace, credential);
  }
  throw new Error('ServiceBusConnection or ServiceBusConnection__fullyQualifiedNamespace must be set');
}
