import { deployment, get, premiumParams, prodParams, resourcesOfType, single, body } from './infra-fixture';

describe('Key Vault policy (prod.bicepparam)', () => {
  it('is premium with purge protection and 7-day soft delete, authorised by RBAC', async () => {
    const vault = single(await deployment(prodParams), 'Microsoft.KeyVault/vaults');
    expect(vault.name).toBe('tripgen-kv-prod');
    expect(get(vault, 'properties.sku.name')).toBe('premium');
    expect(get(vault, 'properties.enablePurgeProtection')).toBe(true);
    expect(get(vault, 'properties.softDeleteRetentionInDays')).toBe(7);
    expect(get(vault, 'properties.enableRbacAuthorization')).toBe(true);
  });

  it('is private: public access off, reached through its private endpoint', async () => {
    const d = await deployment(prodParams);
    const vault = single(d, 'Microsoft.KeyVault/vaults');
    expect(get(vault, 'properties.publicNetworkAccess')).toBe('Disabled');
    expect(get(vault, 'properties.networkAcls.defaultAction')).toBe('Deny');
    const endpoint = resourcesOfType(d, 'Microsoft.Network/privateEndpoints')
      .map(body)
      .find((e) => e.name === 'pe-tripgen-kv-prod');
    expect(JSON.stringify(get(endpoint, 'properties.privateLinkServiceConnections'))).toContain(
      '"groupIds":["vault"]',
    );
  });

  it('holds no key in prod (Managed Redis and Service Bus are keyless): only the Pub/Sub config', async () => {
    const secrets = resourcesOfType(await deployment(prodParams), 'Microsoft.KeyVault/vaults/secrets').map(
      body,
    );
    expect(secrets.map((s) => s.name)).toEqual(['redis-ai-pubsub-config']);
    const premium = resourcesOfType(await deployment(premiumParams), 'Microsoft.KeyVault/vaults/secrets');
    expect(premium.map((s) => body(s).name).sort()).toEqual(
      ['redis-ai-connection-string', 'redis-ai-primary-key', 'redis-ai-pubsub-config'].sort(),
    );
    const pubSub = secrets.find((s) => s.name === 'redis-ai-pubsub-config');
    expect(JSON.parse(get(pubSub, 'properties.value') as string)).toEqual({
      channels: {
        job_status: 'ai:job:status:*',
        job_progress: 'ai:job:progress:*',
        job_complete: 'ai:job:complete:*',
        job_error: 'ai:job:error:*',
        recommendations: 'ai:recommendations:*',
      },
    });
  });
});
