import type { TokenCredential } from '@azure/identity';
import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisEndpoint } from '../config/redis-connection';
import { REDIS_CONNECTION_POLICY } from './connection-policy';
import { EntraTokenAuth } from './entra-token-auth';

export type RedisClient = Redis | Cluster;

export interface RedisClientConfig {
  endpoint: RedisEndpoint;
  cluster: boolean;
  /** For Entra ID auth (required then): the app's credential, config/azure-credential.ts. */
  credential?: TokenCredential;
  /** Overrides of the guide's connection policy (tests shorten the reconnect interval). */
  policy?: Partial<ConnectionPolicy>;
  /**
   * Extra certificate authority to trust (PEM), for a self-hosted TLS Redis with a private CA. Azure's
   * caches present certificates from public roots, so it stays unset there.
   */
  tlsCa?: string;
  /** CLIENT SETNAME on every connection, so operators can tell this service's clients apart. */
  connectionName?: string;
}

type ConnectionPolicy = { -readonly [K in keyof typeof REDIS_CONNECTION_POLICY]: number };

export interface ManagedRedisClient {
  client: RedisClient;
  close(): Promise<void>;
}

function nodeOptions(
  endpoint: RedisEndpoint,
  policy: ConnectionPolicy,
  connectionName?: string,
  tlsCa?: string,
): RedisOptions {
  return {
    connectionName,
    username: endpoint.username,
    password: endpoint.password,
    connectTimeout: policy.connectTimeoutMs,
    commandTimeout: policy.commandTimeoutMs,
    maxRetriesPerRequest: policy.maxRetriesPerRequest,
    retryStrategy: () => policy.reconnectIntervalMs,
    // TLS (6380 on Azure Cache, 10000 on Managed Redis) with SNI: the certificate names the cache
    // host, not the node addresses a cluster's CLUSTER SLOTS answers with.
    tls: endpoint.tls ? { servername: endpoint.host, ...(tlsCa ? { ca: tlsCa } : {}) } : undefined,
    lazyConnect: true,
  };
}

/** Creates a connected client (standalone or cluster) with the guide's connection policy. */
export async function createRedisClient(config: RedisClientConfig): Promise<ManagedRedisClient> {
  const { endpoint } = config;
  const policy = { ...REDIS_CONNECTION_POLICY, ...config.policy };
  if (endpoint.entra && !config.credential) {
    throw new Error('Redis Entra ID auth needs a credential (config/azure-credential.ts azureCredential())');
  }
  const client: RedisClient = config.cluster
    ? new Cluster(
        [{ host: endpoint.host, port: endpoint.port }],
        clusterOptions(endpoint, policy, config.connectionName, config.tlsCa),
      )
    : new Redis({
        host: endpoint.host,
        port: endpoint.port,
        ...nodeOptions(endpoint, policy, config.connectionName, config.tlsCa),
      });
  const auth =
    endpoint.entra && config.credential
      ? new EntraTokenAuth(config.credential, endpoint.username ?? '')
      : undefined;
  try {
    await auth?.prepare(client);
    await client.connect();
  } catch (error) {
    auth?.stop();
    client.disconnect();
    throw error;
  }
  return {
    client,
    async close() {
      auth?.stop();
      await client.quit().catch(() => client.disconnect());
    },
  };
}

function clusterOptions(
  endpoint: RedisEndpoint,
  policy: ConnectionPolicy,
  connectionName?: string,
  tlsCa?: string,
): ClusterOptions {
  return {
    redisOptions: nodeOptions(endpoint, policy, connectionName, tlsCa),
    lazyConnect: true,
    clusterRetryStrategy: () => policy.reconnectIntervalMs,
    slotsRefreshTimeout: policy.connectTimeoutMs,
    // Azure Cache nodes answer CLUSTER SLOTS with addresses that must be reached through the TLS host name.
    dnsLookup: (address, callback) => callback(null, address),
  };
}

/** The nodes that hold data: every master of a cluster, or the one standalone server. */
export function masterNodes(client: RedisClient): Redis[] {
  return client.isCluster ? (client as Cluster).nodes('master') : [client as Redis];
}
