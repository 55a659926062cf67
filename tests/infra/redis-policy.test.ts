import requirements from '../../requirements/seed-requirements.json';
import type { ObjectValue } from '../../tools/bicepcheck/values';
import { deployment, get, premiumParams, prodParams, resourcesOfType, single, body } from './infra-fixture';

// The Redis guide's values (main.tf, private_endpoint.tf, key_vault.tf, monitoring.tf) as recorded in
// requirements/seed-requirements.json.
const guide = requirements.redis;
describe('Redis guide policy, Premium choice (premium.bicepparam)', () => {
  it('is a Premium P4 cluster of 6 shards over zones 1-3, TLS 1.2 only, private', async () => {
    const redis = single(await deployment(premiumParams), 'Microsoft.Cache/redis');
    expect(redis.name).toBe('redis-tripgen-ai-prod');
    expect(redis.location).toBe('koreacentral');
    expect(redis.zones).toEqual(['1', '2', '3']);
    expect(get(redis, 'properties.sku')).toEqual({ name: 'Premium', family: 'P', capacity: 4 });
    expect(get(redis, 'properties.shardCount')).toBe(6);
    expect(get(redis, 'properties.minimumTlsVersion')).toBe('1.2');
    expect(get(redis, 'properties.enableNonSslPort')).toBe(false);
    expect(get(redis, 'properties.publicNetworkAccess')).toBe('Disabled');
  });

  it("has the guide's Redis configuration and RDB backups every 360 minutes keeping 3", async () => {
    const config = get(
      single(await deployment(premiumParams), 'Microsoft.Cache/redis'),
      'properties.redisConfiguration',
    );
    expect(config).toMatchObject({
      authnotrequired: 'false',
      'maxmemory-policy': 'allkeys-lru',
      'maxmemory-reserved': '8192',
      'maxmemory-delta': '8192',
      'notify-keyspace-events': 'AKE',
      'rdb-backup-enabled': 'true',
      'rdb-backup-frequency': '360',
      'rdb-backup-max-snapshot-count': '3',
    });
    expect(config).toHaveProperty(['rdb-storage-connection-string']);
    // Written with the cache's own identity: no account key anywhere.
    expect(config).toMatchObject({ 'preferred-data-persistence-auth-method': 'ManagedIdentity' });
    expect(JSON.stringify(config)).not.toMatch(/AccountKey/);
  });

  it('backs up into the dedicated premium ZRS block blob account, keyless, written by the cache identity', async () => {
    const d = await deployment(premiumParams);
    const accounts = resourcesOfType(d, 'Microsoft.Storage/storageAccounts').map(body);
    expect(accounts.find((a) => a.name === 'staicacheprodbackup')).toMatchObject({
      kind: 'BlockBlobStorage',
      sku: { name: 'Premium_ZRS' },
      properties: { allowSharedKeyAccess: false },
    });
    const grants = resourcesOfType(d, 'Microsoft.Authorization/roleAssignments').filter(
      (r) => r.modulePath.join('/') === 'backupStorage',
    );
    // The cache's identity writes RDB files, the app's identity writes schedule backups.
    expect(grants.map((g) => [g.symbol, get(body(g), 'scope.name')])).toEqual([
      ['cacheWrites', 'staicacheprodbackup'],
      ['appWrites', 'staicacheprodbackup'],
    ]);
  });

  it('is reached through pe-redis-ai-prod registered in privatelink.redis.cache.windows.net', async () => {
    const d = await deployment(premiumParams);
    const endpoint = resourcesOfType(d, 'Microsoft.Network/privateEndpoints')
      .map(body)
      .find((e) => e.name === 'pe-redis-ai-prod');
    expect(get(endpoint, 'properties.privateLinkServiceConnections')).toEqual([
      expect.objectContaining({
        name: 'psc-redis-ai-prod',
        properties: expect.objectContaining({ groupIds: ['redisCache'] }),
      }),
    ]);
    const zones = resourcesOfType(d, 'Microsoft.Network/privateDnsZones').map((z) => body(z).name);
    expect(zones).toContain('privatelink.redis.cache.windows.net');
    const links = resourcesOfType(d, 'Microsoft.Network/privateDnsZones/virtualNetworkLinks').map(body);
    expect(links.every((l) => get(l, 'properties.registrationEnabled') === false)).toBe(true);
    expect(links.map((l) => l.name)).toContain('dns-link-redis');
  });

  it('sends ConnectedClientList and all metrics to a 30-day workspace', async () => {
    const d = await deployment(premiumParams);
    expect(get(single(d, 'Microsoft.OperationalInsights/workspaces'), 'properties.retentionInDays')).toBe(30);
    const diagnostics = resourcesOfType(d, 'Microsoft.Insights/diagnosticSettings')
      .map(body)
      .find((s) => s.name === 'redis-ai-diagnostics');
    expect(get(diagnostics, 'properties.logs')).toEqual([{ category: 'ConnectedClientList', enabled: true }]);
    expect(get(diagnostics, 'properties.metrics')).toEqual([{ category: 'AllMetrics', enabled: true }]);
  });

  it("has the four alerts with the guide's thresholds and severities", async () => {
    const summary = resourcesOfType(await deployment(premiumParams), 'Microsoft.Insights/metricAlerts')
      .map(body)
      .map((a) => ({ a, c: (get(a, 'properties.criteria.allOf') as ObjectValue[])[0] as ObjectValue }))
      .filter(({ c }) => c.metricNamespace === 'Microsoft.Cache/redis')
      .map(({ a, c }) => [
        c.metricName,
        c.operator,
        c.threshold,
        c.timeAggregation,
        get(a, 'properties.severity'),
      ]);
    expect(summary).toEqual(
      guide.alerts.metrics.map((m) => [m.metricName, m.operator, m.threshold, m.aggregation, m.severity]),
    );
  });

  it('notifies the two e-mail receivers of the guide', async () => {
    const group = single(await deployment(premiumParams), 'Microsoft.Insights/actionGroups');
    expect(get(group, 'properties.emailReceivers')).toEqual(
      guide.alerts.emailReceivers.map((r) => expect.objectContaining(r)),
    );
  });
});

describe('Azure Managed Redis (prod.bicepparam, redisKind managed)', () => {
  it('is the only cache in prod: Balanced_B100 for the guide’s 104 GB, TLS 1.2, private, HA', async () => {
    const d = await deployment(prodParams);
    expect(resourcesOfType(d, 'Microsoft.Cache/redis')).toEqual([]);
    const cluster = single(d, 'Microsoft.Cache/redisEnterprise');
    expect(cluster.name).toBe('amr-tripgen-ai-prod');
    expect(get(cluster, 'sku')).toEqual({ name: 'Balanced_B100' });
    expect(get(cluster, 'properties')).toEqual({
      minimumTlsVersion: '1.2',
      highAvailability: 'Enabled',
      publicNetworkAccess: 'Disabled',
    });
  });

  it('has one OSS-cluster database on 10000, TLS, Entra ID only, LRU eviction, RDB every 6 h', async () => {
    const db = single(await deployment(prodParams), 'Microsoft.Cache/redisEnterprise/databases');
    expect(get(db, 'properties')).toEqual({
      clientProtocol: 'Encrypted',
      port: 10000,
      clusteringPolicy: 'OSSCluster',
      evictionPolicy: 'AllKeysLRU',
      accessKeysAuthentication: 'Disabled',
      persistence: { rdbEnabled: true, rdbFrequency: '6h', aofEnabled: false },
    });
  });

  it('is reached through a private endpoint in privatelink.redis.azure.net, and alerted on the guide’s metrics', async () => {
    const d = await deployment(prodParams);
    const endpoint = resourcesOfType(d, 'Microsoft.Network/privateEndpoints')
      .map(body)
      .find((e) => e.name === 'pe-amr-ai-prod');
    expect(JSON.stringify(get(endpoint, 'properties.privateLinkServiceConnections'))).toContain(
      '"groupIds":["redisEnterprise"]',
    );
    expect(resourcesOfType(d, 'Microsoft.Network/privateDnsZones').map((z) => body(z).name)).toContain(
      'privatelink.redis.azure.net',
    );
    const alerts = resourcesOfType(d, 'Microsoft.Insights/metricAlerts')
      .map(body)
      .map((a) => (get(a, 'properties.criteria.allOf') as ObjectValue[])[0] as ObjectValue)
      .filter((c) => c.metricNamespace === 'Microsoft.Cache/redisEnterprise')
      .map((c) => [c.metricName, c.threshold]);
    expect(alerts).toEqual(guide.alerts.metrics.map((m) => [m.metricName, m.threshold]));
  });
});
