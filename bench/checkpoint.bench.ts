/**
 * npm run bench:checkpoint — 50 concurrent jobs checkpointing against one Redis, side by side with
 * the same load through BullMQ's Job.updateProgress on the same server, in the same run.
 *
 * Each checkpoint reads the job's state, writes the status and progress records, appends to the job's
 * event stream and publishes on the progress channel (TTLs are refreshed on status changes and every
 * 1% of the TTL); BullMQ's updateProgress writes one hash field and appends to its event stream.
 *
 * Rounds alternate (ours, BullMQ, ours, ...) and each pair of neighbouring rounds gives one ratio: on a
 * shared two-core machine the CPU available drifts by a third from one second to the next, and a pair
 * sees the same drift. The headline ratio is the median of those pairs; the ratio of the two median
 * throughputs is printed too. The first rounds warm both paths up (JIT tiers, V8's young generation
 * growing to its working size, Redis's script cache) and are not counted: with one round dropped,
 * throughput was seen rising through the fourth or fifth round.
 *
 * Uses REDIS_URL when set, else a private redis-server on a free port.
 */
import { Queue } from 'bullmq';
import { parseRedisUrl } from '../src/lib/config/redis-connection';
import { TTL_DEFAULT_SECONDS } from '../src/lib/config/ttl-defaults';
import { JobStateStore } from '../src/lib/jobs/job-state-store';
import { createRedisClient } from '../src/lib/redis/client-factory';
import { startRedisServer } from '../tools/redis/redis-process';
import { median, percentile, printTable } from './bench-stats';

const CONCURRENT_JOBS = 50;
const UPDATES_PER_JOB = Number(process.env.BENCH_UPDATES_PER_JOB ?? 200);
const WARMUP_ROUNDS = Number(process.env.BENCH_WARMUP_ROUNDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);

interface RoundResult {
  opsPerSecond: number;
  latenciesMs: number[];
  /** CPU time per operation, to show which side limits each path. */
  redisCpuMicros: number;
  clientCpuMicros: number;
}

/** Seconds of CPU the Redis server has used (user + system), from INFO. */
async function redisCpuSeconds(redis: { info(section: string): Promise<string> }): Promise<number> {
  const info = await redis.info('cpu');
  const read = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
  return read('used_cpu_user') + read('used_cpu_sys');
}

async function runLoad(
  redis: { info(section: string): Promise<string> },
  update: (job: number, step: number) => Promise<unknown>,
): Promise<RoundResult> {
  const latenciesMs: number[] = [];
  const operations = CONCURRENT_JOBS * UPDATES_PER_JOB;
  const redisCpuBefore = await redisCpuSeconds(redis);
  const clientCpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENT_JOBS }, async (_, job) => {
      for (let step = 1; step <= UPDATES_PER_JOB; step++) {
        // performance.now() rather than hrtime.bigint(): no BigInts to allocate on every operation,
        // and microsecond resolution is plenty for sub-millisecond latencies.
        const t0 = performance.now();
        await update(job, step);
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const redisCpu = (await redisCpuSeconds(redis)) - redisCpuBefore;
  return {
    opsPerSecond: operations / seconds,
    latenciesMs,
    redisCpuMicros: (redisCpu * 1e6) / operations,
    clientCpuMicros: (clientCpu.user + clientCpu.system) / operations,
  };
}

async function main(): Promise<void> {
  const privateServer = process.env.REDIS_URL ? undefined : await startRedisServer();
  const url = process.env.REDIS_URL ?? privateServer!.url;
  const endpoint = parseRedisUrl(url);
  console.log(`Redis: ${url}${privateServer ? ' (private redis-server started by the benchmark)' : ''}`);
  console.log(
    `${CONCURRENT_JOBS} concurrent jobs x ${UPDATES_PER_JOB} updates, ${ROUNDS} rounds each after ` +
      `${WARMUP_ROUNDS} warm-up rounds, alternating\n`,
  );

  const ours = await createRedisClient({ endpoint, cluster: false });
  const store = new JobStateStore(ours.client, TTL_DEFAULT_SECONDS);
  const queue = new Queue(`bench-${Date.now()}`, {
    connection: { host: endpoint.host, port: endpoint.port, password: endpoint.password },
  });

  const results = { checkpoint: [] as RoundResult[], bullmq: [] as RoundResult[] };
  try {
    for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      const prefix = `bench-${round}-${Date.now()}`;
      for (let job = 0; job < CONCURRENT_JOBS; job++) {
        await store.checkpoint(`${prefix}-${job}`, {
          userId: `user-${job}`,
          jobType: 'trip-generation',
          status: 'processing',
          seq: 0,
        });
      }
      const bullJobs = await queue.addBulk(
        Array.from({ length: CONCURRENT_JOBS }, (_, job) => ({ name: 'trip', data: { job } })),
      );

      const checkpoint = await runLoad(ours.client, (job, step) =>
        store.checkpoint(`${prefix}-${job}`, {
          progress: Math.floor((step / UPDATES_PER_JOB) * 99),
          step: `step-${step}`,
          estimatedTime: UPDATES_PER_JOB - step,
          seq: step,
        }),
      );
      const bullmq = await runLoad(ours.client, (job, step) =>
        bullJobs[job]!.updateProgress(Math.floor((step / UPDATES_PER_JOB) * 99)),
      );
      if (round >= WARMUP_ROUNDS) {
        results.checkpoint.push(checkpoint);
        results.bullmq.push(bullmq);
      }
    }
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await ours.close();
    await privateServer?.stop();
  }

  const summarise = (name: string, rounds: RoundResult[]) => {
    const all = rounds.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
    return {
      path: name,
      'ops/s (median round)': median(rounds.map((r) => r.opsPerSecond)),
      'p50 ms': percentile(all, 50),
      'p99 ms': percentile(all, 99),
      'Redis CPU µs/op': median(rounds.map((r) => r.redisCpuMicros)),
      'client CPU µs/op': median(rounds.map((r) => r.clientCpuMicros)),
    };
  };
  const ourRow = summarise('checkpoint (status+progress+stream+publish)', results.checkpoint);
  const bullRow = summarise('BullMQ Job.updateProgress', results.bullmq);
  printTable([ourRow, bullRow]);
  const pairRatios = results.checkpoint.map((r, i) => r.opsPerSecond / results.bullmq[i]!.opsPerSecond);
  const pairs = [...pairRatios].sort((a, b) => a - b);
  const ratioOfMedians = ourRow['ops/s (median round)'] / bullRow['ops/s (median round)'];
  console.log(
    `\nratio (checkpoints/s ÷ BullMQ updates/s), median of ${pairs.length} neighbouring-round pairs: ` +
      `${median(pairRatios).toFixed(2)}x  (target ≥ 1.20x)`,
  );
  console.log(
    `  pairs ${pairs.map((r) => r.toFixed(2)).join(' ')}; ratio of the median throughputs ${ratioOfMedians.toFixed(2)}x`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
