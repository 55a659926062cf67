import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { azureCredential, identitySetting } from '../../../src/lib/config/azure-credential';
import { ConfigError, loadSettings } from '../../../src/lib/config/settings';
import { AppServices } from '../../../src/lib/app-services';

const base = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  ServiceBusConnection__fullyQualifiedNamespace: 'ai-servicebus-dr.servicebus.windows.net',
  DURABLE_TASK_HUB_NAME: 'TripGenAI',
  AzureWebJobsStorage__accountName: 'sttripgenaifuncprod',
};
const clientId = '0b5a3c4e-1f2d-4e6a-9b8c-7d6e5f4a3b2c';

describe('the identity keyless clients sign in with (AZURE_MANAGED_IDENTITY_CLIENT_ID)', () => {
  it('is the user-assigned managed identity when the setting names its client id (Azure)', () => {
    const settings = loadSettings({ ...base, AZURE_MANAGED_IDENTITY_CLIENT_ID: clientId });
    expect(settings.identity).toEqual({ kind: 'managedIdentity', clientId });
    expect(azureCredential(settings.identity)).toBeInstanceOf(ManagedIdentityCredential);
  });

  it('is the developer chain when the setting is absent or empty (local)', () => {
    for (const env of [base, { ...base, AZURE_MANAGED_IDENTITY_CLIENT_ID: '' }]) {
      const settings = loadSettings(env);
      expect(settings.identity).toEqual({ kind: 'developer' });
      expect(azureCredential(settings.identity)).toBeInstanceOf(DefaultAzureCredential);
    }
  });

  it('refuses a value that is not a client id, naming the setting', () => {
    let problems: string[] = [];
    try {
      loadSettings({ ...base, AZURE_MANAGED_IDENTITY_CLIENT_ID: 'id-tripgen-ai-prod' });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems).toEqual([
      "AZURE_MANAGED_IDENTITY_CLIENT_ID: must be the client id (a GUID) of the app's user-assigned managed identity",
    ]);
  });

  it('gives one credential per identity (each caches its tokens)', () => {
    expect(azureCredential(identitySetting(clientId))).toBe(azureCredential(identitySetting(clientId)));
    expect(azureCredential(identitySetting(undefined))).not.toBe(azureCredential(identitySetting(clientId)));
  });

  it('is what the app’s Service Bus and Blob clients are built with', async () => {
    const services = new AppServices(loadSettings({ ...base, AZURE_MANAGED_IDENTITY_CLIENT_ID: clientId }));
    const credential = azureCredential(identitySetting(clientId));
    try {
      const blob = services.blobService() as unknown as { credential: unknown };
      expect(blob.credential).toBe(credential);
      const serviceBus = services.serviceBus() as unknown as {
        _connectionContext: { tokenCredential: unknown };
      };
      expect(serviceBus._connectionContext.tokenCredential).toBe(credential);
    } finally {
      await services.close();
    }
  });
});

describe('backup storage (BACKUP_STORAGE_ACCOUNT_NAME)', () => {
  it('is the dedicated account, with the app identity, when set', async () => {
    const services = new AppServices(
      loadSettings({
        ...base,
        AZURE_MANAGED_IDENTITY_CLIENT_ID: clientId,
        BACKUP_STORAGE_ACCOUNT_NAME: 'staicacheprodbackup',
      }),
    );
    const backup = services.backupBlobService() as unknown as { url: string; credential: unknown };
    expect(backup.url).toBe('https://staicacheprodbackup.blob.core.windows.net/');
    expect(backup.credential).toBe(azureCredential(identitySetting(clientId)));
    expect(services.blobService().url).toBe('https://sttripgenaifuncprod.blob.core.windows.net/');
    await services.close();
  });

  it('falls back to the Functions storage when unset, and refuses a name Azure would not take', async () => {
    const services = new AppServices(loadSettings(base));
    expect(services.backupBlobService().url).toBe('https://sttripgenaifuncprod.blob.core.windows.net/');
    await services.close();
    expect(() => loadSettings({ ...base, BACKUP_STORAGE_ACCOUNT_NAME: 'St-Backup' })).toThrow(
      /BACKUP_STORAGE_ACCOUNT_NAME: must be a storage account name/,
    );
  });
});
