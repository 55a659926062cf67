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

  it('refreshes on its own schedule, 5 minutes before the token expires, and retries 30 s after a failure', async () => {
    const user = uniqueId('scheduled');
    await admin.call('ACL', 'SETUSER', user, 'on', '>token-1', '~*', '&*', '+@all');
    const { port, host } = parseRedisUrl(rigStandaloneUrl());
    const client = new Redis({ host, port, username: user, password: 'token-1', lazyConnect: true });
    await client.connect();
    // Only the timers the refresh uses are faked; sockets, promises and setImmediate stay real.
    jest.useFakeTimers({
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'hrtime', 'performance'],
    });
    const lifetimeMs = 60 * 60_000;
    const issuedAt: number[] = [];
    let failNext = false;
    const credential: TokenCredential = {
      getToken: async () => {
        if (failNext) {
          failNext = false;
          throw new Error('Entra ID is unreachable');
        }
        issuedAt.push(Date.now());
        return { token: `token-${issuedAt.length}`, expiresOnTimestamp: Date.now() + lifetimeMs };
      },
    };
    const errors: unknown[] = [];
    const auth = new EntraTokenAuth(credential, user, (error) => errors.push(error));
    const settle = async (done: () => boolean) => {
      for (let i = 0; i < 2000 && !done(); i++) await new Promise((r) => setImmediate(r));
      expect(done()).toBe(true);
    };
    try {
      await auth.prepare(client);
      expect(issuedAt).toHaveLength(1);
      const start = issuedAt[0]!;
      // The service accepts only the next token from now on.
      await admin.call('ACL', 'SETUSER', user, 'resetpass', '>token-2');

      await jest.advanceTimersByTimeAsync(lifetimeMs - 5 * 60_000 - 1);
      expect(issuedAt).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      await settle(() => issuedAt.length === 2);
      expect(issuedAt[1]! - start).toBe(55 * 60_000);
      // The open connection re-authenticated with the new token (AUTH with a wrong one would have been
      // refused and reported), and a reconnect will use it too.
      await settle(() => client.options.password === 'token-2');
      await settle(() => errors.length === 0 && auth.currentToken?.token === 'token-2');
      expect(await client.call('ACL', 'WHOAMI')).toBe(user);

      // The next refresh fails; it is reported and tried again 30 s later.
      failNext = true;
      await admin.call('ACL', 'SETUSER', user, 'resetpass', '>token-3');
      await jest.advanceTimersByTimeAsync(55 * 60_000);
      await settle(() => errors.length === 1);
      expect(issuedAt).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(30_000 - 1);
      expect(issuedAt).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(1);
      await settle(() => issuedAt.length === 3);
      expect(issuedAt[2]! - issuedAt[1]!).toBe(55 * 60_000 + 30_000);
    } finally {
      auth.stop();
      jest.useRealTimers();
      client.disconnect();
      await admin.call('ACL', 'DELUSER', user);
    }
  });
});
