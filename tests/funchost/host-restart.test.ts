/**
 * A local host that survives restarts, with the real app: dozens of trip jobs are submitted over
 * HTTP (POST /api/jobs/trip-generation → Service Bus → queue trigger → orchestration → Redis), the
 * host process is killed (SIGKILL) or stopped (SIGTERM) while they run, and a new host process on
 * the same persisted state (Durable + Service Bus, in Redis) carries on. Every accepted job must
 * complete exactly once, each user's jobs in their arrival order: one `ai:job:complete` message, one completed event in its stream, one
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
    // 12 users with 3 jobs each, each user's sent one after another (so their arrival order is
    // known) and the users in parallel: the ordering line must keep each user's order across the restart.
    const byUser: string[][] = Array.from({ length: 12 }, () => []);
    const submit = async (user: number, n: number) => {
      const jobId = uniqueId(`restart-u${user}-${n}`);
      const response = await fetch(`${host!.baseUrl}/api/jobs/trip-generation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...sample,
          startDate,
          jobId,
          tripId: `trip-${jobId}`,
          userId: `user-${user}`,
        }),
      });
      expect(response.status).toBe(202);
      jobIds.push(jobId);
      byUser[user]!.push(jobId);
    };
    await Promise.all(
      byUser.map(async (_, user) => {
        for (let n = 0; n < 3; n++) await submit(user, n);
      }),
    );

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
    // Each user's jobs ran one at a time in arrival order, across the restart: a job starts
    // processing only after the one before it completed (stream ids are Redis's own clock).
    const eventsOf = async (jobId: string) =>
      (await redis.xrange(Keys.jobEvents(jobId), '-', '+')).map(
        ([id, fields]) =>
          [Number(id.split('-')[0]), (JSON.parse(fields[1]!) as { status: string }).status] as const,
      );
    for (const jobs of byUser) {
      for (let n = 1; n < jobs.length; n++) {
        const previousCompleted = (await eventsOf(jobs[n - 1]!)).find(([, s]) => s === 'completed')![0];
        const startedProcessing = (await eventsOf(jobs[n]!)).find(([, s]) => s === 'processing')![0];
        expect({ job: jobs[n], startedAfterPrevious: startedProcessing >= previousCompleted }).toEqual({
          job: jobs[n],
          startedAfterPrevious: true,
        });
      }
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
