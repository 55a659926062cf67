import type { AccessToken, TokenCredential } from '@azure/identity';
import type { Cluster, Redis } from 'ioredis';

/** Azure Cache for Redis accepts Entra ID access tokens for this scope as the AUTH password. */
export const REDIS_ENTRA_SCOPE = 'https://redis.azure.com/.default';

/** Refresh this long before the token expires, so no connection ever authenticates with a stale one. */
const REFRESH_MARGIN_MS = 5 * 60_000;
const MIN_REFRESH_DELAY_MS = 10_000;
const RETRY_DELAY_MS = 30_000;

/**
 * Keeps a client authenticated with Entra ID tokens: sets the token as the password before the first
 * connection, then re-authenticates every open connection (all cluster nodes) before each token expires,
 * and makes reconnects use the newest token.
 */
export class EntraTokenAuth {
  #timer: NodeJS.Timeout | undefined;
  #token: AccessToken | undefined;

  constructor(
    private readonly credential: TokenCredential,
    private readonly username: string,
    private readonly onError: (error: unknown) => void = (error) =>
      console.error('Redis token refresh failed', error),
  ) {}

  /** Fetches the first token and applies it to the client's options (call before connect()). */
  async prepare(client: Redis | Cluster): Promise<void> {
    const token = await this.#fetch();
    applyPassword(client, this.username, token.token);
    this.#schedule(client, token);
  }

  get currentToken(): AccessToken | undefined {
    return this.#token;
  }

  /** Fetches a new token now and re-authenticates every connection with it. */
  async refresh(client: Redis | Cluster): Promise<void> {
    const token = await this.#fetch();
    applyPassword(client, this.username, token.token);
    const connections =
      'nodes' in client && typeof client.nodes === 'function' ? client.nodes() : [client as Redis];
    await Promise.all(
      connections.filter((c) => c.status === 'ready').map((c) => c.auth(this.username, token.token)),
    );
    this.#schedule(client, token);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #fetch(): Promise<AccessToken> {
    const token = await this.credential.getToken(REDIS_ENTRA_SCOPE);
    if (!token) throw new Error(`No Entra ID token was issued for ${REDIS_ENTRA_SCOPE}`);
    this.#token = token;
    return token;
  }

  #schedule(client: Redis | Cluster, token: AccessToken): void {
    this.stop();
    const delay = Math.max(MIN_REFRESH_DELAY_MS, token.expiresOnTimestamp - Date.now() - REFRESH_MARGIN_MS);
    this.#timer = setTimeout(() => {
      this.refresh(client).catch((error: unknown) => {
        this.onError(error);
        this.#timer = setTimeout(() => void this.refresh(client).catch(this.onError), RETRY_DELAY_MS);
        this.#timer.unref();
      });
    }, delay);
    this.#timer.unref();
  }
}

function applyPassword(client: Redis | Cluster, username: string, password: string): void {
  if ('nodes' in client && typeof client.nodes === 'function') {
    // In place: the cluster's connection pool keeps the redisOptions object it was built with and
    // creates every node connection from it, so a replaced object would never be used.
    const cluster = client as Cluster;
    Object.assign((cluster.options.redisOptions ??= {}), { username, password });
  } else {
    const redis = client as Redis;
    redis.options.username = username;
    redis.options.password = password;
  }
}
