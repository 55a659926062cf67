import packageJson from '../../package.json';
import fs from 'node:fs';
import path from 'node:path';
import { SETTING_NAMES } from '../../src/lib/config/settings';
import type { ObjectValue } from '../../tools/bicepcheck/values';
import {
  body,
  bicepDir,
  deployment,
  devParams,
  get,
  premiumParams,
  prodParams,
  resourcesOfType,
  single,
} from './infra-fixture';

// Settings the Functions platform and host read, not the app's config module.
const PLATFORM_SETTINGS = [
  'FUNCTIONS_EXTENSION_VERSION',
  'FUNCTIONS_WORKER_RUNTIME',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID',
  'AzureWebJobsStorage__credential',
  'AzureWebJobsStorage__clientId',
  'ServiceBusConnection__credential',
  'ServiceBusConnection__clientId',
];

/** The site's app settings: part of the site itself, so they exist from its first start. */
async function appSettings(params: string): Promise<Record<string, unknown>> {
  const site = single(await deployment(params), 'Microsoft.Web/sites');
  const list = get(site, 'properties.siteConfig.appSettings') as ObjectValue[];
  return Object.fromEntries(list.map((s) => [s.name as string, s.value]));
}

const mainBicep = fs.readFileSync(path.join(bicepDir, 'main.bicep'), 'utf8');

describe('Function App policy', () => {
  it('runs on a zone-redundant Elastic Premium Linux plan with 3 warm instances in prod, Node 22', async () => {
    const d = await deployment(prodParams);
    const plan = single(d, 'Microsoft.Web/serverfarms');
    expect([plan.kind, get(plan, 'sku.tier'), get(plan, 'properties.reserved')]).toEqual([
      'elastic',
      'ElasticPremium',
      true,
    ]);
    expect([get(plan, 'properties.zoneRedundant'), get(plan, 'sku.capacity')]).toEqual([true, 3]);
    const site = single(d, 'Microsoft.Web/sites');
    expect(site.kind).toBe('functionapp,linux');
    expect(get(site, 'properties.siteConfig.minimumElasticInstanceCount')).toBe(3);
    expect(get(site, 'properties.siteConfig.linuxFxVersion')).toBe(
      `Node|${/\d+/.exec(packageJson.engines.node)?.[0]}`,
    );
    expect(get(site, 'properties')).toHaveProperty('virtualNetworkSubnetId');
    expect(get(site, 'properties.siteConfig.vnetRouteAllEnabled')).toBe(true);
    const devPlan = single(await deployment(devParams), 'Microsoft.Web/serverfarms');
    expect([get(devPlan, 'properties.zoneRedundant'), get(devPlan, 'sku.capacity')]).toEqual([false, 1]);
  });

  it('turns on App Service authentication (authsettingsV2): Entra ID, every request signed in or 401', async () => {
    for (const params of [prodParams, premiumParams, devParams]) {
      const auth = single(await deployment(params), 'Microsoft.Web/sites/config');
      expect(auth.name).toBe('authsettingsV2');
      // The caller module reads the principal header only this platform feature writes.
      expect(get(auth, 'properties.platform.enabled')).toBe(true);
      expect(get(auth, 'properties.globalValidation')).toEqual({
        requireAuthentication: true,
        unauthenticatedClientAction: 'Return401',
      });
      expect(get(auth, 'properties.identityProviders.azureActiveDirectory.enabled')).toBe(true);
      expect(get(auth, 'properties.httpSettings.requireHttps')).toBe(true);
    }
    // The app cannot be told authentication is off in Azure: it refuses AUTH_ENABLED=false there.
    expect(Object.keys(await appSettings(prodParams))).not.toContain('AUTH_ENABLED');
  });

  it('runs as the user-assigned identity, which is granted every role before the site is created', async () => {
    const d = await deployment(prodParams);
    const site = single(d, 'Microsoft.Web/sites');
    expect(get(site, 'identity.type')).toBe('UserAssigned');
    expect(single(d, 'Microsoft.ManagedIdentity/userAssignedIdentities').name).toBe('id-tripgen-ai-prod');
    // The site module waits for the grants, and the grants name the identity module's principal.
    expect(mainBicep).toMatch(/module functionApp [^]*?dependsOn: \[rbac, backupStorage\]/);
    expect(mainBicep).toMatch(/module rbac [^]*?principalId: appIdentity\.outputs\.principalId/);
    expect(mainBicep.indexOf('module appIdentity')).toBeLessThan(mainBicep.indexOf('module functionApp'));
    const assignments = resourcesOfType(d, 'Microsoft.Authorization/roleAssignments')
      .filter((r) => r.modulePath.join('/') === 'rbac')
      .map((r) => [r.symbol, get(body(r), 'scope.name')]);
    expect(assignments).toEqual([
      ['serviceBusPrimaryOwner', 'ai-servicebus-prod'],
      ['serviceBusSecondaryOwner', 'ai-servicebus-prod-secondary'],
      ['keyVaultSecretsUser', 'tripgen-kv-prod'],
      ['storageData', 'sttripgenaifuncprod'],
      ['storageData', 'sttripgenaifuncprod'],
      ['storageData', 'sttripgenaifuncprod'],
    ]);
  });

  it('runs from a package blob read with the identity (no Azure Files, no config-zip)', async () => {
    const d = await deployment(prodParams);
    const settings = await appSettings(prodParams);
    expect(settings.WEBSITE_RUN_FROM_PACKAGE).toBe(
      'https://sttripgenaifuncprod.blob.core.windows.net/app-package/tripgen-ai-service.zip',
    );
    expect(settings).toHaveProperty('WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID');
    expect(Object.keys(settings).filter((k) => k.startsWith('WEBSITE_CONTENT'))).toEqual([]);
    const containers = resourcesOfType(d, 'Microsoft.Storage/storageAccounts/blobServices/containers').map(
      body,
    );
    expect(containers.map((c) => [c.name, get(c, 'properties.publicAccess')])).toEqual([
      ['app-package', 'None'],
    ]);
    expect(packageJson.scripts['deploy:zip']).toMatch(/az storage blob upload .*--auth-mode login/);
    expect(packageJson.scripts['deploy:zip']).toContain('app-package');
    expect(packageJson.scripts['deploy:zip']).not.toContain('config-zip');
  });

  it('sets the settings the app reads, identity-based through the Geo-DR alias, with the plan AI values', async () => {
    const settings = await appSettings(prodParams);
    expect(settings).toMatchObject({
      FUNCTIONS_WORKER_RUNTIME: 'node',
      AzureWebJobsStorage__accountName: 'sttripgenaifuncprod',
      AzureWebJobsStorage__credential: 'managedidentity',
      ServiceBusConnection__fullyQualifiedNamespace: 'ai-servicebus-dr.servicebus.windows.net',
      ServiceBusConnection__credential: 'managedidentity',
      DURABLE_TASK_HUB_NAME: 'TripGenAIProd',
      BACKUP_STORAGE_ACCOUNT_NAME: 'staicacheprodbackup',
      REDIS_CLUSTER: 'true',
      AI_MAX_PROCESSING_TIME: 'PT30M',
      AI_MODEL_PARALLELISM: '4',
      AI_BATCH_SIZE: '100',
    });
    expect(Object.keys(settings)).toEqual(
      expect.arrayContaining([
        'AZURE_MANAGED_IDENTITY_CLIENT_ID',
        'AzureWebJobsStorage__clientId',
        'ServiceBusConnection__clientId',
        'REDIS_ENTRA_HOST',
        'REDIS_ENTRA_USERNAME',
        'APPLICATIONINSIGHTS_CONNECTION_STRING',
      ]),
    );
  });

  it('names only settings the config module knows (or the platform reads)', async () => {
    for (const params of [prodParams, premiumParams, devParams]) {
      const unknown = Object.keys(await appSettings(params)).filter(
        (n) => !SETTING_NAMES.includes(n) && !PLATFORM_SETTINGS.includes(n),
      );
      expect(unknown).toEqual([]);
    }
  });

  it('keeps secrets out of settings; the Premium accessKey choice reads a Key Vault reference', async () => {
    const source = fs.readFileSync(path.join(bicepDir, 'modules/functionapp.bicep'), 'utf8');
    expect(source).toMatch(
      /name: 'REDIS_CONNECTION_STRING', value: '@Microsoft\.KeyVault\(SecretUri=\$\{redisConnectionStringSecretUri\}\)'/,
    );
    for (const params of [prodParams, premiumParams, devParams]) {
      const values = Object.values(await appSettings(params)).filter((v) => typeof v === 'string');
      expect(values.filter((v) => /AccountKey=|SharedAccessKey=|password=/i.test(v as string))).toEqual([]);
    }
  });

  it('reaches Redis keyless in both kinds: Managed Redis policy assignment, or the Premium Data Owner policy', async () => {
    const managed = resourcesOfType(
      await deployment(prodParams),
      'Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments',
    ).map(body);
    expect(managed.map((a) => get(a, 'properties.accessPolicyName'))).toEqual(['default']);
    const premium = resourcesOfType(
      await deployment(premiumParams),
      'Microsoft.Cache/redis/accessPolicyAssignments',
    ).map(body);
    expect(premium.map((a) => get(a, 'properties.accessPolicyName'))).toEqual(['Data Owner']);
  });

  it('keeps the Functions storage account keyless and private, reached by private endpoints', async () => {
    const d = await deployment(prodParams);
    const storage = resourcesOfType(d, 'Microsoft.Storage/storageAccounts')
      .map(body)
      .find((a) => a.name === 'sttripgenaifuncprod');
    expect(get(storage, 'properties.allowSharedKeyAccess')).toBe(false);
    expect(get(storage, 'properties.publicNetworkAccess')).toBe('Disabled');
    const endpoints = resourcesOfType(d, 'Microsoft.Network/privateEndpoints').map(body);
    const storageGroups = endpoints
      .filter((e) => String(e.name).startsWith('pe-sttripgenaifuncprod-'))
      .map((e) => (get(e, 'properties.privateLinkServiceConnections') as ObjectValue[])[0])
      .map((c) => get(c, 'properties.groupIds'));
    expect(storageGroups).toEqual([['blob'], ['queue'], ['table'], ['file']]);
    const zones = resourcesOfType(d, 'Microsoft.Network/privateDnsZones').map((z) => body(z).name);
    expect(zones).toEqual(
      expect.arrayContaining([
        'privatelink.blob.core.windows.net',
        'privatelink.queue.core.windows.net',
        'privatelink.table.core.windows.net',
        'privatelink.file.core.windows.net',
        'privatelink.vaultcore.azure.net',
      ]),
    );
  });

  it('sends FunctionAppLogs, AuditEvent and storage logs to the workspace', async () => {
    const d = await deployment(prodParams);
    const settings = resourcesOfType(d, 'Microsoft.Insights/diagnosticSettings').map(body);
    const categories = (name: string) =>
      (
        get(
          settings.find((s) => s.name === name),
          'properties.logs',
        ) as ObjectValue[]
      ).map((l) => l.category);
    expect(categories('functionapp-diagnostics')).toEqual(['FunctionAppLogs']);
    expect(categories('keyvault-diagnostics')).toEqual(['AuditEvent']);
    expect(categories('storage-blob-diagnostics')).toEqual(['StorageRead', 'StorageWrite', 'StorageDelete']);
  });
});
