import type { AccessToken, TokenCredential } from '@azure/identity';
import Redis from 'ioredis';
import { parseRedisUrl } from '../../../src/lib/config/redis-connection';
import { createRedisClient } from '../../../src/lib/redis/client-factory';
import { REDIS_ENTRA_SCOPE, EntraTokenAuth } from '../../../src/lib/redis/entra-token-auth';
import { rigStandaloneUrl } from '../../rig/rig-env';
import { uniqueId } from '../../rig/redis-targets';

/**
 * Entra ID cannot run here, so a credential stands in for it. The Redis side is real: an ACL user
 * whose password is the current "token", as Azure Cache for Redis checks an Entra token on AUTH.
 */
class RotatingCredential implements TokenCredential {
  issued = 0;
  scopes: string[] = [];
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    this.issued += 1;
    return { token: `token-${this.issued}`, expiresOnTimestamp: Date.now() + 60 * 60_000 };
  }
}

describe('Entra ID token auth', () => {
  const admin = new Redis(rigStandaloneUrl());
  const username = uniqueId('identity');
  afterAll(async () => {
    await admin.call('ACL', 'DELUSER', username);
    admin.disconnect();
  });

  it('connects with a token and re-authenticates with a fresh one before it expires', async () => {
    await admin.call('ACL', 'SETUSER', username, 'on', '>token-1', '~*', '&*', '+@all');
    const credential = new RotatingCredential();
    const { port, host } = parseRedisUrl(rigStandaloneUrl());
    const managed = await createRedisClient({
      endpoint: { host, port, tls: false, username, entra: true },
      cluster: false,
      credential,
    });
    try {
      expect(credential.scopes).toEqual([REDIS_ENTRA_SCOPE]);
      expect(await managed.client.call('ACL', 'WHOAMI')).toBe(username);

      // The service rotates: only the new token is valid from now on.
      await admin.call('ACL', 'SETUSER', username, 'resetpass', '>token-2');
      const auth = new EntraTokenAuth(credential, username);
      await auth.refresh(managed.client);
      auth.stop();
      expect(credential.issued).toBe(2);
      // A reconnect must use the newest token too.
      managed.client.disconnect(true);
      await new Promise<void>((resolve) => managed.client.once('ready', () => resolve()));
      expect(await managed.client.call('ACL', 'WHOAMI')).toBe(username);
    } finally {
      await managed.close();
    }
  });
});
