import requirements from '../../requirements/seed-requirements.json';
import type { ObjectValue } from '../../tools/bicepcheck/values';
import { deployment, get, prodParams, resourcesOfType, single, body } from './infra-fixture';

// The Redis guide's values (main.tf, private_endpoint.tf, key_vault.tf, monitoring.tf) as recorded in
// requirements/seed-requirements.json.
const guide = requirements.redis;
describe('Redis guide policy (prod.bicepparam)', () => {
  it('is a Premium P4 cluster of 6 shards over zones 1-3, TLS 1.2 only, private', async () => {
    const redis = single(await deployment(prodParams), 'Microsoft.Cache/redis');
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
      single(await deployment(prodParams), 'Microsoft.Cache/redis'),
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
  });

  it('backs up into the premium ZRS block blob account', async () => {
    const accounts = resourcesOfType(await deployment(prodParams), 'Microsoft.Storage/storageAccounts').map(
      body,
    );
    expect(accounts.find((a) => a.name === 'staicacheprodbackup')).toMatchObject({
      kind: 'BlockBlobStorage',
      sku: { name: 'Premium_ZRS' },
    });
  });

  it('is reached through pe-redis-ai-prod registered in privatelink.redis.cache.windows.net', async () => {
    const d = await deployment(prodParams);
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
    const d = await deployment(prodParams);
    expect(get(single(d, 'Microsoft.OperationalInsights/workspaces'), 'properties.retentionInDays')).toBe(30);
    const diagnostics = resourcesOfType(d, 'Microsoft.Insights/diagnosticSettings')
      .map(body)
      .find((s) => s.name === 'redis-ai-diagnostics');
    expect(get(diagnostics, 'properties.logs')).toEqual([{ category: 'ConnectedClientList', enabled: true }]);
    expect(get(diagnostics, 'properties.metrics')).toEqual([{ category: 'AllMetrics', enabled: true }]);
  });

  it("has the four alerts with the guide's thresholds and severities", async () => {
    const summary = resourcesOfType(await deployment(prodParams), 'Microsoft.Insights/metricAlerts')
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
    const group = single(await deployment(prodParams), 'Microsoft.Insights/actionGroups');
    expect(get(group, 'properties.emailReceivers')).toEqual(
      guide.alerts.emailReceivers.map((r) => expect.objectContaining(r)),
    );
  });
});
