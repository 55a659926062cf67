/**
 * npm run bench:e2e — N trip jobs (BENCH_JOBS, default 1,000) submitted at once through the whole
 * local path: HTTP POST /api/jobs/trip-generation → Service Bus emulation (AMQP, the app's own client)
 * → queue trigger → Durable orchestration (durable-functions replay) → Redis checkpoints → the
 * ai:job:complete:<jobId> message. Prints submit p50/p99 (the 202), completion p50/p99 (submit start to
 * the completion message), jobs/s, and the host's RSS per job after a second, equal round (the first
 * warms caches and grows the heap once; memory that stays flat across rounds is what the retention
 * setting, FUNCHOST_DURABLE_RETENTION_SECONDS, buys).
 *
 * The host runs in this process, so RSS is the host's. Redis is REDIS_URL or a private redis-server.
 */
import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { topology } from '../src/lib/messaging/topology';
import { startLocalHost } from '../tools/funchost/host';
import { startRedisServer, type RedisProcessHandle } from '../tools/redis/redis-process';
import { percentile, printTable } from './bench-stats';

const JOBS = Number(process.env.BENCH_JOBS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const RETENTION_SECONDS = process.env.FUNCHOST_DURABLE_RETENTION_SECONDS ?? '0';
const root = path.resolve(__dirname, '..');
const sample = JSON.parse(fs.readFileSync(path.join(root, 'samples/trip-request.json'), 'utf8')) as Record<
  string,
  unknown
>;

async function main(): Promise<void> {
  let redisServer: RedisProcessHandle | undefined;
  const redisUrl = process.env.REDIS_URL ?? (redisServer = await startRedisServer()).url;
  const host = await startLocalHost({
    entry: path.join(root, 'src/index.ts'),
    env: {
      REDIS_URL: redisUrl,
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      DURABLE_TASK_HUB_NAME: 'BenchE2E',
      AUTH_ENABLED: 'false',
    },
    hostJsonPath: path.join(root, 'host.json'),
    serviceBus: { topology },
    durableRetentionSeconds: Number(RETENTION_SECONDS),
    quiet: true,
  });
  const subscriber = new Redis(redisUrl);
  const completedAt = new Map<string, number>();
  subscriber.on('pmessage', (_pattern: string, channel: string) => {
    completedAt.set(channel.slice('ai:job:complete:'.length), performance.now());
  });
  await subscriber.psubscribe('ai:job:complete:*');
  const rows: Array<Record<string, string | number>> = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const ids = Array.from({ length: JOBS }, (_, i) => `bench-${Date.now()}-${round}-${i}`);
      const started = performance.now();
      const submitMs: number[] = [];
      const statuses = await Promise.all(
        ids.map(async (jobId) => {
          const t0 = performance.now();
          try {
            const response = await fetch(`${host.baseUrl}/api/jobs/trip-generation`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ ...sample, jobId, tripId: `trip-${jobId}`, sessionId: `s-${jobId}` }),
            });
            await response.arrayBuffer();
            return response.status;
          } catch {
            return -1; // the connection failed: counted as not accepted
          } finally {
            submitMs.push(performance.now() - t0);
          }
        }),
      );
      const refused = statuses.filter((s) => s !== 202).length;
      const accepted = ids.filter((_, i) => statuses[i] === 202);
      const deadline = Date.now() + 15 * 60_000;
      while (accepted.some((id) => !completedAt.has(id)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const wall =
        (Math.max(...accepted.map((id) => completedAt.get(id) ?? performance.now())) - started) / 1000;
      const completionMs = accepted
        .filter((id) => completedAt.has(id))
        .map((id) => completedAt.get(id)! - started)
        .sort((a, b) => a - b);
      submitMs.sort((a, b) => a - b);
      // Let retention (if set) run, then measure what the round left behind.
      await new Promise((r) => setTimeout(r, Math.max(2000, Number(RETENTION_SECONDS) * 1000 + 1500)));
      global.gc?.();
      const rssAfter = process.memoryUsage().rss;
      rows.push({
        round,
        jobs: JOBS,
        'non-202': refused,
        completed: completionMs.length,
        'submit p50 ms': percentile(submitMs, 50),
        'submit p99 ms': percentile(submitMs, 99),
        'completion p50 s': percentile(completionMs, 50) / 1000,
        'completion p99 s': percentile(completionMs, 99) / 1000,
        'jobs/s': completionMs.length / wall,
        'RSS MB': rssAfter / 2 ** 20,
        'RSS KB per job': (rssAfter - rssBefore) / 1024 / JOBS,
        'instances kept': host.durable.list().length,
      });
    }
    printTable(rows);
  } finally {
    await subscriber.quit();
    await host.stop();
    await redisServer?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
