/**
 * The three ways this service can be pointed at Redis, parsed into one shape the client factory uses.
 * - REDIS_URL: redis://[user:pass@]host:port or rediss:// (TLS), for local and self-hosted Redis.
 * - REDIS_CONNECTION_STRING: what Azure Cache for Redis hands out, "host:6380,password=...,ssl=True,abortConnect=False"
 *   (Azure Managed Redis: "<name>.<region>.redis.azure.net:10000,...").
 * - REDIS_ENTRA_HOST (+ REDIS_ENTRA_USERNAME): keyless, Microsoft Entra ID tokens as the password.
 */
export interface RedisEndpoint {
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  password?: string;
  /** Entra ID token auth: the password is a token fetched and refreshed at run time. */
  entra: boolean;
}

/**
 * TLS ports of the two Azure services: Azure Cache for Redis listens on 6380, Azure Managed Redis
 * (host names ending in .redis.azure.net) on 10000. A host:port given without a port gets its kind's.
 */
export const AZURE_CACHE_TLS_PORT = 6380;
export const MANAGED_REDIS_PORT = 10000;

export function defaultTlsPort(host: string): number {
  return /\.redis\.azure\.net$/i.test(host) ? MANAGED_REDIS_PORT : AZURE_CACHE_TLS_PORT;
}

export function parseRedisUrl(url: string): RedisEndpoint {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('is not a URL (expected redis://host:port or rediss://host:port)');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`has protocol "${parsed.protocol}" (expected redis: or rediss:)`);
  }
  if (!parsed.hostname) throw new Error('has no host');
  const tls = parsed.protocol === 'rediss:';
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : tls ? defaultTlsPort(parsed.hostname) : 6379,
    tls,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    entra: false,
  };
}

/** StackExchange.Redis-style options string, as the Azure portal and Key Vault secret carry it. */
export function parseAzureConnectionString(connectionString: string): RedisEndpoint {
  const [hostPart, ...options] = connectionString.split(',').map((part) => part.trim());
  if (!hostPart || hostPart.includes('=')) {
    throw new Error(
      'must start with host:port (e.g. "mycache.redis.cache.windows.net:6380,password=...,ssl=True")',
    );
  }
  const [host, portText] = splitHostPort(hostPart);
  const values = new Map<string, string>();
  for (const option of options.filter(Boolean)) {
    const eq = option.indexOf('=');
    if (eq <= 0) throw new Error(`has an option without a value: "${option}"`);
    values.set(option.slice(0, eq).trim().toLowerCase(), option.slice(eq + 1).trim());
  }
  const ssl = (values.get('ssl') ?? 'false').toLowerCase() === 'true';
  const port = portText ? Number(portText) : ssl ? defaultTlsPort(host) : 6379;
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`has an invalid port "${portText}"`);
  return {
    host,
    port,
    tls: ssl,
    username: values.get('user'),
    password: values.get('password'),
    entra: false,
  };
}

export function parseEntraHost(hostPort: string, username: string): RedisEndpoint {
  const [host, portText] = splitHostPort(hostPort);
  const port = portText ? Number(portText) : defaultTlsPort(host);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`has an invalid port "${portText}"`);
  return { host, port, tls: true, username, entra: true };
}

function splitHostPort(hostPort: string): [string, string | undefined] {
  const colon = hostPort.lastIndexOf(':');
  if (colon < 0) return [hostPort, undefined];
  return [hostPort.slice(0, colon), hostPort.slice(colon + 1)];
}
