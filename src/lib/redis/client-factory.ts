import type { TokenCredential } from '@azure/identity';
import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisEndpoint } from '../config/redis-connection';
import { boundOfflineWait } from './bounded-offline-wait';
import { REDIS_CONNECTION_POLICY, reconnectDelayMs, type ConnectionPolicy } from './connection-policy';
import { connectionErrorLogger } from './connection-errors';
import { EntraTokenAuth } from './entra-token-auth';

export type RedisClient = Redis | Cluster;

export interface RedisClientConfig {
  endpoint: RedisEndpoint;
  cluster: boolean;
  /** For Entra ID auth (required then): the app's credential, config/azure-credential.ts. */
  credential?: TokenCredential;
  /** Overrides of the connection policy (tests shorten timeouts). */
  policy?: Partial<ConnectionPolicy>;
  /**
   * Extra certificate authority to trust (PEM), for a self-hosted TLS Redis with a private CA. Azure's
   * caches present certificates from public roots, so it stays unset there.
   */
  tlsCa?: string;
  /** CLIENT SETNAME on every connection, so operators can tell this service's clients apart. */
  connectionName?: string;
  /**
   * Where connection errors go (a dropped connection, a refused reconnect). Every client has a
   * listener, so ioredis never prints "Unhandled error event"; the default logs the first error of
   * each outage and the recovery, not one line per reconnect attempt.
   */
  onConnectionError?: (error: Error) => void;
}

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
    // The command timeout bounds a command's wait, queued or sent (connection-policy.ts).
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => reconnectDelayMs(policy, attempt),
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
  guard(client, policy, config);
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
    clusterRetryStrategy: (attempt) => reconnectDelayMs(policy, attempt),
    slotsRefreshTimeout: policy.connectTimeoutMs,
    // Azure Cache nodes answer CLUSTER SLOTS with addresses that must be reached through the TLS host name.
    dnsLookup: (address, callback) => callback(null, address),
  };
}

/** Bounded waits and an error listener on the client and, for a cluster, on every node it opens. */
function guard(client: RedisClient, policy: ConnectionPolicy, config: RedisClientConfig): void {
  const onError = config.onConnectionError ?? connectionErrorLogger(config.connectionName ?? 'redis');
  boundOfflineWait(client, policy.commandTimeoutMs);
  client.on('error', onError);
  if (client.isCluster) {
    // Nodes report through the cluster ('node error'); each node still gets the bounded wait.
    client.on('node error', (error: Error) => onError(error));
    client.on('+node', (node: Redis) => boundOfflineWait(node, policy.commandTimeoutMs));
  }
}

/** The nodes that hold data: every master of a cluster, or the one standalone server. */
export function masterNodes(client: RedisClient): Redis[] {
  return client.isCluster ? (client as Cluster).nodes('master') : [client as Redis];
}
