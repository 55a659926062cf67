/**
 * What the global setup started, handed to test workers through environment variables
 * (workers are spawned after global setup and inherit its environment).
 */
export const RIG_ENV = {
  standaloneUrl: 'TEST_REDIS_URL',
  clusterNodes: 'TEST_REDIS_CLUSTER_NODES',
  clusterReplicas: 'TEST_REDIS_CLUSTER_REPLICAS',
} as const;

export function rigStandaloneUrl(): string {
  const url = process.env[RIG_ENV.standaloneUrl];
  if (!url)
    throw new Error(
      `${RIG_ENV.standaloneUrl} is not set: run the tests through jest (global setup starts Redis)`,
    );
  return url;
}

export function rigClusterNodes(): Array<{ host: string; port: number }> {
  return hostPorts(RIG_ENV.clusterNodes);
}

/** The cluster's replicas, one per master (for failover tests). */
export function rigClusterReplicas(): Array<{ host: string; port: number }> {
  return hostPorts(RIG_ENV.clusterReplicas);
}

function hostPorts(variable: string): Array<{ host: string; port: number }> {
  const raw = process.env[variable];
  if (!raw) throw new Error(`${variable} is not set: run the tests through jest (global setup starts Redis)`);
  return raw.split(',').map((hostPort) => {
    const [host, port] = hostPort.split(':');
    return { host: host!, port: Number(port) };
  });
}
