/**
 * npm run bench:e2e — N trip jobs (BENCH_JOBS, default 1,000) submitted at once through the whole
 * local path: HTTP POST /api/jobs/trip-generation → Service Bus emulation (AMQP, the app's own client)
 * → queue trigger → Durable orchestration (durable-functions replay) → Redis checkpoints → the
 * ai:job:complete:<jobId> message. Prints submit p50/p99 (the 202), completion p50/p99 (submit start to
 * the completion message), jobs/s, and the host's RSS per job after a second, equal round (the first
 * warms caches and grows the heap once; memory that stays flat across rounds is what the retention
 * setting, FUNCHOST_DURABLE_RETENTION_SECONDS, buys).
 *
 * The host runs in this process and the HTTP clients in a child (bench/e2e-client.ts), so RSS and
 * CPU (host CPU ms per completed job, user + system) are the host's alone; the 1-minute load average
 * at the end of each round is printed beside them, as the machine is shared. Redis is REDIS_URL or a
 * private redis-server.
 *
 * BENCH_SUBMIT_ONLY=1 disables the trip queue trigger (AzureWebJobs.tripGenerationQueue.Disabled, as
 * in Azure) so nothing but the submits runs: their latency with no orchestration beside them, the
 * floor under the figures of a full run. Host CPU is then per submit.
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { topology } from '../src/lib/messaging/topology';
import { queueFunctionName } from '../src/orchestrations/workflows';
import { startLocalHost } from '../tools/funchost/host';
import { startRedisServer, type RedisProcessHandle } from '../tools/redis/redis-process';
import { percentile, printTable } from './bench-stats';
import type { RoundRequest, RoundResult } from './e2e-client';

const JOBS = Number(process.env.BENCH_JOBS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const RETENTION_SECONDS = process.env.FUNCHOST_DURABLE_RETENTION_SECONDS ?? '0';
const SUBMIT_ONLY = process.env.BENCH_SUBMIT_ONLY === '1';
const root = path.resolve(__dirname, '..');

/** The client process: one round at a time, answered by message. */
function startClient() {
  const child = fork(path.join(__dirname, 'e2e-client.ts'), [], { execArgv: ['--import', 'tsx'] });
  let pending: { resolve: (r: RoundResult) => void; reject: (e: Error) => void } | undefined;
  child.on('message', (result) => pending?.resolve(result as RoundResult));
  child.on('exit', (code) => pending?.reject(new Error(`The bench client exited (${code})`)));
  return {
    round: (request: RoundRequest) =>
      new Promise<RoundResult>((resolve, reject) => {
        pending = { resolve, reject };
        child.send(request);
      }),
    stop: () => child.disconnect(),
  };
}

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
      ...(SUBMIT_ONLY ? { [`AzureWebJobs.${queueFunctionName('trip-generation')}.Disabled`]: 'true' } : {}),
    },
    hostJsonPath: path.join(root, 'host.json'),
    serviceBus: { topology },
    durableRetentionSeconds: Number(RETENTION_SECONDS),
    quiet: true,
  });
  const client = startClient();
  const rows: Array<Record<string, string | number>> = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const heapBefore = process.memoryUsage().heapUsed;
      const jobIds = Array.from({ length: JOBS }, (_, i) => `bench-${Date.now()}-${round}-${i}`);
      const cpuBefore = process.cpuUsage();
      // How long the host's event loop was late to serve ready I/O (a submit waits this long per step).
      const loopDelay = monitorEventLoopDelay({ resolution: 5 });
      loopDelay.enable();
      const {
        submitMs,
        statuses,
        completionMs: completedAt,
      } = await client.round({
        baseUrl: host.baseUrl,
        redisUrl,
        jobIds,
        timeoutMs: SUBMIT_ONLY ? 0 : 15 * 60_000,
      });
      const cpu = process.cpuUsage(cpuBefore);
      loopDelay.disable();
      const load = os.loadavg()[0]!;
      const refused = statuses.filter((s) => s !== 202).length;
      const completionMs = Object.values(completedAt).sort((a, b) => a - b);
      const wall = (completionMs.at(-1) ?? NaN) / 1000;
      submitMs.sort((a, b) => a - b);
      // Let retention (if set) run, then measure what the round left behind.
      await new Promise((r) => setTimeout(r, Math.max(2000, Number(RETENTION_SECONDS) * 1000 + 1500)));
      global.gc?.();
      const { rss: rssAfter, heapUsed: heapAfter } = process.memoryUsage();
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
        // Per completed job (refused submits cost little and start no orchestration); per submit alone.
        'host CPU ms/job':
          (cpu.user + cpu.system) / 1000 / Math.max(1, SUBMIT_ONLY ? JOBS : completionMs.length),
        'loop delay p99 ms': loopDelay.percentile(99) / 1e6,
        load,
        'RSS MB': rssAfter / 2 ** 20,
        'RSS KB per job': (rssAfter - rssBefore) / 1024 / JOBS,
        'heap KB per job': (heapAfter - heapBefore) / 1024 / JOBS,
        'instances kept': host.durable.list().length,
      });
    }
    printTable(rows);
  } finally {
    client.stop();
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
