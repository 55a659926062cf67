import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';

/**
 * Which identity the app signs in to Azure services with, decided by one setting,
 * AZURE_MANAGED_IDENTITY_CLIENT_ID:
 * - set (in Azure; the Bicep sets it to the app's user-assigned identity): ManagedIdentityCredential for
 *   exactly that identity. Deterministic: no chain to walk, no other identity picked up by accident,
 *   no delay probing developer tools that do not exist on the worker.
 * - unset (a developer machine): DefaultAzureCredential, the chain of developer sign-ins (Azure CLI,
 *   azd, environment variables).
 * Used by every keyless client: Service Bus, Blob Storage and Redis Entra ID auth.
 */
export type IdentitySetting = { kind: 'managedIdentity'; clientId: string } | { kind: 'developer' };

export function identitySetting(managedIdentityClientId: string | undefined): IdentitySetting {
  return managedIdentityClientId
    ? { kind: 'managedIdentity', clientId: managedIdentityClientId }
    : { kind: 'developer' };
}

const credentials = new Map<string, TokenCredential>();

/** One credential per identity per process (each caches its tokens). */
export function azureCredential(identity: IdentitySetting): TokenCredential {
  const key = identity.kind === 'managedIdentity' ? identity.clientId : '';
  let credential = credentials.get(key);
  if (!credential) {
    credential =
      identity.kind === 'managedIdentity'
        ? new ManagedIdentityCredential({ clientId: identity.clientId })
        : new DefaultAzureCredential();
    credentials.set(key, credential);
  }
  return credential;
}
