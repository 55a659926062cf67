import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
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
  /** For Entra ID auth; DefaultAzureCredential (managed identity in Azure) when not given. */
  credential?: TokenCredential;
  /** Overrides of the connection policy (tests shorten timeouts). */
  policy?: Partial<ConnectionPolicy>;
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
    // TLS on 6380 with SNI: Azure's certificate names the cache host, not the node IPs.
    tls: endpoint.tls ? { servername: endpoint.host } : undefined,
    lazyConnect: true,
  };
}

/** Creates a connected client (standalone or cluster) with the guide's connection policy. */
export async function createRedisClient(config: RedisClientConfig): Promise<ManagedRedisClient> {
  const { endpoint } = config;
  const policy = { ...REDIS_CONNECTION_POLICY, ...config.policy };
  const client: RedisClient = config.cluster
    ? new Cluster(
        [{ host: endpoint.host, port: endpoint.port }],
        clusterOptions(endpoint, policy, config.connectionName),
      )
    : new Redis({
        host: endpoint.host,
        port: endpoint.port,
        ...nodeOptions(endpoint, policy, config.connectionName),
      });
  guard(client, policy, config);
  const auth = endpoint.entra
    ? new EntraTokenAuth(config.credential ?? new DefaultAzureCredential(), endpoint.username ?? '')
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
): ClusterOptions {
  return {
    redisOptions: nodeOptions(endpoint, policy, connectionName),
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
