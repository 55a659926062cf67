/**
 * npm run dev — builds the app and serves it like `func start`: HTTP on :7071 (FUNCHOST_PORT), the
 * Durable HTTP API, the Service Bus emulation (AMQP on FUNCHOST_SERVICEBUS_PORT, default a free port;
 * its connection string is printed and put in ServiceBusConnection), timers on their schedules.
 * Settings come from local.settings.json (Values) when present. Redis: REDIS_URL, or a private
 * redis-server started here (and said so). Durable state persists in that Redis, so a restart resumes
 * in-flight orchestrations. Blob Storage: AzureWebJobsStorage from the environment, or a private Azurite
 * keeping its data in .azurite/dev (dev-storage.ts). Ctrl-C stops everything cleanly.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { topology } from '../../src/lib/messaging/topology';
import {
  INSTALL_HINT,
  redisServerAvailable,
  startRedisServer,
  type RedisProcessHandle,
} from '../redis/redis-process';
import { authNotice } from './auth-notice';
import { devStorage } from './dev-storage';
import { startLocalHost } from './host';

const root = path.resolve(__dirname, '../..');

function localSettings(): Record<string, string> {
  const file = path.join(root, 'local.settings.json');
  if (!fs.existsSync(file)) return {};
  const values =
    (JSON.parse(fs.readFileSync(file, 'utf8')) as { Values?: Record<string, string> }).Values ?? {};
  console.log(`Settings from local.settings.json: ${Object.keys(values).join(', ')}`);
  return values;
}

async function main(): Promise<void> {
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');

  const env: Record<string, string> = {
    DURABLE_TASK_HUB_NAME: 'TripGenAILocal',
    ...localSettings(),
  };
  if (process.env.AUTH_ENABLED !== undefined) env.AUTH_ENABLED = process.env.AUTH_ENABLED;
  const storage = await devStorage(root, 'dev', env.AzureWebJobsStorage);
  env.AzureWebJobsStorage = storage.connectionString;
  console.log(`Blob Storage: ${storage.description}`);
  let redis: RedisProcessHandle | undefined;
  const redisUrl =
    process.env.REDIS_URL ??
    (env.REDIS_URL && !process.env.FUNCHOST_PRIVATE_REDIS ? env.REDIS_URL : undefined);
  if (redisUrl) {
    env.REDIS_URL = redisUrl;
  } else {
    if (!redisServerAvailable()) throw new Error(`Set REDIS_URL, or install redis-server. ${INSTALL_HINT}`);
    redis = await startRedisServer();
    env.REDIS_URL = redis.url;
    console.log(`REDIS_URL is not set: started a private redis-server at ${redis.url} (stopped on exit)`);
  }
  process.env.FUNCHOST_VERBOSE ??= '1';

  const host = await startLocalHost({
    entry: path.join(root, 'dist/src/index.js'),
    port: Number(process.env.FUNCHOST_PORT ?? 7071),
    hostJsonPath: path.join(root, 'host.json'),
    env,
    serviceBus: { topology, amqpPort: Number(process.env.FUNCHOST_SERVICEBUS_PORT ?? 0) },
    persistence: { redisUrl: env.REDIS_URL },
    runTimers: true,
    // A long-running dev host purges finished orchestrations after an hour, so its memory stays flat.
    durableRetentionSeconds: Number(process.env.FUNCHOST_DURABLE_RETENTION_SECONDS ?? 3600),
  });
  console.log(`\nHost running at ${host.baseUrl}`);
  console.log(`Service Bus (AMQP): ${host.serviceBusConnectionString}`);
  if (host.functions.has('opsDashboard')) console.log(`Operations dashboard: ${host.baseUrl}/api/ops`);
  console.log(authNotice(env));
  if (host.resumedInstances > 0) console.log(`Resumed ${host.resumedInstances} in-flight orchestration(s)`);
  console.log('Press Ctrl-C to stop.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await host.stop();
    await redis?.stop();
    await storage.azurite?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
