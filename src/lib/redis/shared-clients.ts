import { azureCredential } from '../config/azure-credential';
import type { Settings } from '../config/settings';
import { createRedisClient, type ManagedRedisClient, type RedisClientConfig } from './client-factory';

/**
 * One command connection per process, shared by every function, and a separate subscriber connection
 * (a connection in subscribe mode can run no other commands). Created on first use; a failed creation
 * (Redis unreachable: the caller answers 503) is forgotten, so the next use tries again. Both follow
 * the connection policy (connection-policy.ts): reconnect within milliseconds, commands bounded by the
 * command timeout while they wait, connection errors logged once per outage.
 */
export const SHARED_CONNECTION_NAMES = {
  commands: 'tripgen-ai',
  subscriber: 'tripgen-ai-subscriber',
} as const;
let shared: Promise<ManagedRedisClient> | undefined;
let subscriber: Promise<ManagedRedisClient> | undefined;

/** The settings' endpoint, signing in (Entra ID auth) with the app's one credential. */
function clientConfig(settings: Settings): RedisClientConfig {
  return { ...settings.redis, credential: azureCredential(settings.identity) };
}

export function sharedRedis(settings: Settings): Promise<ManagedRedisClient> {
  shared ??= createRedisClient({
    ...clientConfig(settings),
    connectionName: SHARED_CONNECTION_NAMES.commands,
  }).catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

export function sharedSubscriber(settings: Settings): Promise<ManagedRedisClient> {
  subscriber ??= createRedisClient({
    ...clientConfig(settings),
    connectionName: SHARED_CONNECTION_NAMES.subscriber,
  }).catch((error: unknown) => {
    subscriber = undefined;
    throw error;
  });
  return subscriber;
}

export async function closeSharedRedis(): Promise<void> {
  const all = [shared, subscriber];
  shared = undefined;
  subscriber = undefined;
  await Promise.all(all.map(async (p) => (await p?.catch(() => undefined))?.close()));
}
