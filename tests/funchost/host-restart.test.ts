/**
 * A local host that survives restarts, with the real app: dozens of trip jobs are submitted over
 * HTTP (POST /api/jobs/trip-generation → Service Bus → queue trigger → orchestration → Redis), the
 * host process is killed (SIGKILL) or stopped (SIGTERM) while they run, and a new host process on
 * the same persisted state (Durable + Service Bus, in Redis) carries on. Every accepted job must
 * complete exactly once: one `ai:job:complete` message, one completed event in its stream, one
 * TripGenerated on the notification subscription, and its orchestration Completed.
 */
import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { Keys, ChannelPatterns } from '../../src/lib/redis/keys';
import { rigStandaloneUrl } from '../rig/rig-env';
import { uniqueId } from '../rig/redis-targets';
import { startHostProcess, type HostProcess } from './restart/host-process-handle';

const root = path.resolve(__dirname, '../..');
const sample = JSON.parse(fs.readFileSync(path.join(root, 'samples/trip-request.json'), 'utf8')) as Record<
  string,
  unknown
>;
const startDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

jest.setTimeout(300_000);

describe.each([
  ['killed (SIGKILL)', 'kill' as const],
  ['stopped (SIGTERM)', 'terminate' as const],
])('a host %s with trip jobs in flight', (_label, stop) => {
  const redisUrl = rigStandaloneUrl();
  const keyPrefix = `funchost-restart:${uniqueId('hub')}:`;
  const options = { redisUrl, keyPrefix, taskHubName: 'TripGenRestartTest' };
  let host: HostProcess | undefined;
  let redis: Redis;
  let subscriber: Redis;
  const completions = new Map<string, number>();

  beforeAll(async () => {
    redis = new Redis(redisUrl);
    subscriber = new Redis(redisUrl);
    subscriber.on('pmessage', (_pattern: string, channel: string) => {
      const jobId = channel.slice(channel.lastIndexOf(':') + 1);
      completions.set(jobId, (completions.get(jobId) ?? 0) + 1);
    });
    await subscriber.psubscribe(ChannelPatterns.jobComplete);
  });
  afterAll(async () => {
    await host?.kill();
    subscriber.disconnect();
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  const statusOf = async (jobId: string) => (await redis.hget(Keys.jobStatus(jobId), 'status')) ?? 'missing';
  const statuses = async (jobIds: string[]) => Promise.all(jobIds.map(statusOf));

  it('continues every job after a restart, each completing exactly once', async () => {
    host = await startHostProcess(options);
    const jobIds: string[] = [];
    const submits = Array.from({ length: 36 }, async (_, i) => {
      const jobId = uniqueId(`restart-${i}`);
      const response = await fetch(`${host!.baseUrl}/api/jobs/trip-generation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // 12 users with 3 jobs each: sessions keep each user's jobs in order across the restart.
        body: JSON.stringify({
          ...sample,
          startDate,
          jobId,
          tripId: `trip-${jobId}`,
          userId: `user-${i % 12}`,
        }),
      });
      expect(response.status).toBe(202);
      jobIds.push(jobId);
    });
    await Promise.all(submits);

    // Stop the host while jobs are running: some finished, most not.
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const now = await statuses(jobIds);
      if (now.includes('completed') || now.filter((s) => s === 'processing').length >= 4) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const before = await statuses(jobIds);
    const unfinished = before.filter((s) => s !== 'completed').length;
    expect(unfinished).toBeGreaterThanOrEqual(12);
    await host[stop]();
    host = undefined;

    host = await startHostProcess(options);
    const finishBy = Date.now() + 200_000;
    let after = await statuses(jobIds);
    while (Date.now() < finishBy && after.some((s) => s !== 'completed' && s !== 'failed')) {
      await new Promise((r) => setTimeout(r, 250));
      after = await statuses(jobIds);
    }
    const log = host.log();
    expect({ statuses: count(after), log: after.every((s) => s === 'completed') ? '' : log }).toEqual({
      statuses: { completed: jobIds.length },
      log: '',
    });

    // Exactly once: one completion message and one completed event per job.
    await new Promise((r) => setTimeout(r, 200));
    expect(jobIds.filter((id) => completions.get(id) !== 1)).toEqual([]);
    for (const jobId of jobIds) {
      const events = await redis.xrange(Keys.jobEvents(jobId), '-', '+');
      const completedEvents = events.filter(([, fields]) =>
        fields.join(' ').includes('"status":"completed"'),
      );
      expect({ jobId, completed: completedEvents.length }).toEqual({ jobId, completed: 1 });
    }
    // Orchestrations Completed, through the app's own status route (which joins the runtime status).
    for (const jobId of jobIds) {
      const job = (await (await fetch(`${host.baseUrl}/api/jobs/${jobId}`)).json()) as {
        orchestration?: { runtimeStatus?: string };
      };
      expect({ jobId, runtimeStatus: job.orchestration?.runtimeStatus }).toEqual({
        jobId,
        runtimeStatus: 'Completed',
      });
    }
    // One TripGenerated per job on a subscriber's subscription (persisted broker state).
    const stored = await redis.hgetall(`${keyPrefix}servicebus`);
    const announced = Object.entries(stored)
      .filter(([key]) => key.startsWith('m|ai-events/subscriptions/notification-service-subscription|'))
      .map(([, json]) => (JSON.parse(json) as { messageId: string }).messageId);
    for (const jobId of jobIds) {
      expect({ jobId, n: announced.filter((id) => id === `TripGenerated:${jobId}`).length }).toEqual({
        jobId,
        n: 1,
      });
    }
    expect(host.log()).not.toMatch(/Non-deterministic/);
    await host.terminate();
    host = undefined;
  });
});

function count(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
