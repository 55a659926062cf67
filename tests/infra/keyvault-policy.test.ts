import { deployment, get, prodParams, resourcesOfType, single, body } from './infra-fixture';

describe('Key Vault policy (prod.bicepparam)', () => {
  it('is premium with purge protection and 7-day soft delete, authorised by RBAC', async () => {
    const vault = single(await deployment(prodParams), 'Microsoft.KeyVault/vaults');
    expect(vault.name).toBe('tripgen-kv-prod');
    expect(get(vault, 'properties.sku.name')).toBe('premium');
    expect(get(vault, 'properties.enablePurgeProtection')).toBe(true);
    expect(get(vault, 'properties.softDeleteRetentionInDays')).toBe(7);
    expect(get(vault, 'properties.enableRbacAuthorization')).toBe(true);
  });

  it('holds the Redis connection string, primary key, Pub/Sub config and the Service Bus fallback', async () => {
    const secrets = resourcesOfType(await deployment(prodParams), 'Microsoft.KeyVault/vaults/secrets').map(
      body,
    );
    expect(secrets.map((s) => s.name).sort()).toEqual(
      [
        'ai-servicebus-connection',
        'redis-ai-connection-string',
        'redis-ai-primary-key',
        'redis-ai-pubsub-config',
      ].sort(),
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
