/**
 * npm run demo:job-state — a job checkpointing through the real job-state layer while a watcher
 * follows it live (stream replay + Pub/Sub) and a pattern subscriber prints what other TripGen
 * services would receive on ai:job:*. Uses REDIS_URL, else a private redis-server it starts.
 */
import { parseRedisUrl } from '../src/lib/config/redis-connection';
import { TTL_DEFAULT_SECONDS } from '../src/lib/config/ttl-defaults';
import { JobStateStore } from '../src/lib/jobs/job-state-store';
import { watchJob } from '../src/lib/jobs/watch-job';
import { ChannelHub } from '../src/lib/redis/channel-hub';
import { createRedisClient } from '../src/lib/redis/client-factory';
import { ChannelPatterns } from '../src/lib/redis/keys';
import { subscribeToPatterns } from '../src/lib/redis/pattern-subscription';
import { startRedisServer } from '../tools/redis/redis-process';

const STEPS = [
  { step: 'validating_request', progress: 5 },
  { step: 'selecting_places', progress: 20 },
  { step: 'planning_days', progress: 55 },
  { step: 'optimising_routes', progress: 80 },
  { step: 'caching_schedule', progress: 95 },
];

function bar(progress: number): string {
  const filled = Math.round(progress / 5);
  return `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${String(progress).padStart(3)}%`;
}

async function main(): Promise<void> {
  const privateServer = process.env.REDIS_URL ? undefined : await startRedisServer();
  const url = process.env.REDIS_URL ?? privateServer!.url;
  console.log(`Redis: ${url}${privateServer ? ' (a private redis-server started for this demo)' : ''}`);
  const endpoint = parseRedisUrl(url);
  const [commands, subscriber] = await Promise.all([
    createRedisClient({ endpoint, cluster: false }),
    createRedisClient({ endpoint, cluster: false }),
  ]);
  const store = new JobStateStore(commands.client, TTL_DEFAULT_SECONDS);
  const hub = new ChannelHub(subscriber.client);
  const jobId = `demo-${Date.now()}`;
  const published: string[] = [];
  const patterns = await subscribeToPatterns(subscriber.client, Object.values(ChannelPatterns), (m) =>
    published.push(`${m.channel}  ${m.payload}`),
  );
  try {
    await store.checkpoint(jobId, {
      userId: 'user-demo',
      jobType: 'trip-generation',
      status: 'queued',
      seq: 0,
    });
    const worker = (async () => {
      for (const [i, { step, progress }] of STEPS.entries()) {
        await new Promise((r) => setTimeout(r, 300));
        await store.checkpoint(jobId, {
          status: 'processing',
          step,
          progress,
          estimatedTime: (STEPS.length - i) * 30,
          seq: i + 1,
        });
      }
      await new Promise((r) => setTimeout(r, 300));
      await store.checkpoint(jobId, { status: 'completed', step: 'done', seq: STEPS.length + 1 });
    })();
    for await (const event of watchJob(store, hub, jobId)) {
      const { status, progress, data } = event.message;
      console.log(`${bar(progress)}  ${status.padEnd(10)} ${data.step}`);
    }
    await worker;
    console.log(`\nStatus record: ${JSON.stringify(await store.getStatus(jobId))}`);
    console.log(`\nWhat subscribers of ${Object.values(ChannelPatterns).join(', ')} received:`);
    for (const line of published) console.log(`  ${line}`);
  } finally {
    await patterns.close();
    hub.detach();
    await Promise.all([commands.close(), subscriber.close()]);
    await privateServer?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
