import packageJson from '../../package.json';
import fs from 'node:fs';
import path from 'node:path';
import { SETTING_NAMES } from '../../src/lib/config/settings';
import {
  body,
  bicepDir,
  deployment,
  devParams,
  get,
  prodParams,
  resourcesOfType,
  single,
} from './infra-fixture';

// Settings the Functions platform reads, not the app's config module.
const PLATFORM_SETTINGS = [
  'FUNCTIONS_EXTENSION_VERSION',
  'FUNCTIONS_WORKER_RUNTIME',
  'WEBSITE_RUN_FROM_PACKAGE',
];

async function appSettings(params: string): Promise<Record<string, unknown>> {
  const [config] = resourcesOfType(await deployment(params), 'Microsoft.Web/sites/config');
  if (!config) throw new Error('no app settings');
  return get(body(config), 'properties') as Record<string, unknown>;
}

describe('Function App policy', () => {
  it('runs on an Elastic Premium Linux plan, Node.js 22, with a system identity and VNet integration', async () => {
    const d = await deployment(prodParams);
    const plan = single(d, 'Microsoft.Web/serverfarms');
    expect([plan.kind, get(plan, 'sku.tier'), get(plan, 'properties.reserved')]).toEqual([
      'elastic',
      'ElasticPremium',
      true,
    ]);
    const site = single(d, 'Microsoft.Web/sites');
    expect(site.kind).toBe('functionapp,linux');
    expect(get(site, 'identity.type')).toBe('SystemAssigned');
    expect(get(site, 'properties.siteConfig.linuxFxVersion')).toBe(
      `Node|${/\d+/.exec(packageJson.engines.node)?.[0]}`,
    );
    expect(get(site, 'properties')).toHaveProperty('virtualNetworkSubnetId');
    expect(get(site, 'properties.siteConfig.vnetRouteAllEnabled')).toBe(true);
  });

  it('sets the settings the app reads, identity-based, with the Service Bus plan AI values', async () => {
    const settings = await appSettings(prodParams);
    expect(settings).toMatchObject({
      FUNCTIONS_WORKER_RUNTIME: 'node',
      AzureWebJobsStorage__accountName: 'sttripgenaifuncprod',
      DURABLE_TASK_HUB_NAME: 'TripGenAIProd',
      ServiceBusConnection__fullyQualifiedNamespace: 'ai-servicebus-prod.servicebus.windows.net',
      REDIS_CLUSTER: 'true',
      AI_MAX_PROCESSING_TIME: 'PT30M',
      AI_MODEL_PARALLELISM: '4',
      AI_BATCH_SIZE: '100',
    });
    expect(Object.keys(settings)).toEqual(
      expect.arrayContaining(['REDIS_CONNECTION_STRING', 'APPLICATIONINSIGHTS_CONNECTION_STRING']),
    );
  });

  it('names only settings the config module knows (or the platform reads)', async () => {
    for (const params of [prodParams, devParams]) {
      const unknown = Object.keys(await appSettings(params)).filter(
        (n) => !SETTING_NAMES.includes(n) && !PLATFORM_SETTINGS.includes(n),
      );
      expect(unknown).toEqual([]);
    }
  });

  it('reads Redis through a Key Vault reference to redis-ai-connection-string, no secret in settings', async () => {
    const source = fs.readFileSync(path.join(bicepDir, 'modules/functionapp.bicep'), 'utf8');
    expect(source).toMatch(
      /name: 'REDIS_CONNECTION_STRING', value: '@Microsoft\.KeyVault\(SecretUri=\$\{redisConnectionStringSecretUri\}\)'/,
    );
    const values = Object.values(await appSettings(prodParams)).filter((v) => typeof v === 'string');
    expect(values.filter((v) => /AccountKey=|SharedAccessKey=|password=/i.test(v as string))).toEqual([]);
  });

  it('offers keyless Redis (dev): Entra settings and a Data Owner access policy assignment', async () => {
    const settings = await appSettings(devParams);
    expect(Object.keys(settings)).toEqual(
      expect.arrayContaining(['REDIS_ENTRA_HOST', 'REDIS_ENTRA_USERNAME']),
    );
    expect(settings).not.toHaveProperty('REDIS_CONNECTION_STRING');
    const [devAssignment] = resourcesOfType(
      await deployment(devParams),
      'Microsoft.Cache/redis/accessPolicyAssignments',
    );
    const [prodAssignment] = resourcesOfType(
      await deployment(prodParams),
      'Microsoft.Cache/redis/accessPolicyAssignments',
    );
    expect([devAssignment?.condition, prodAssignment?.condition]).toEqual([true, false]);
    expect(get(devAssignment && body(devAssignment), 'properties.accessPolicyName')).toBe('Data Owner');
  });

  it('keeps the Functions storage account keyless', async () => {
    const storage = resourcesOfType(await deployment(prodParams), 'Microsoft.Storage/storageAccounts')
      .map(body)
      .find((a) => a.name === 'sttripgenaifuncprod');
    expect(get(storage, 'properties.allowSharedKeyAccess')).toBe(false);
  });

  it('grants the app identity Service Bus Data Owner, Key Vault Secrets User and the storage data roles', async () => {
    const assignments = resourcesOfType(
      await deployment(prodParams),
      'Microsoft.Authorization/roleAssignments',
    )
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
    const rbac = fs.readFileSync(path.join(bicepDir, 'modules/rbac.bicep'), 'utf8');
    expect(rbac).toContain("serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'");
    expect(rbac).toContain("keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'");
  });
});
