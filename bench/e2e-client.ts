/**
 * The client side of npm run bench:e2e, run in a child process so its CPU (1,000 concurrent fetches,
 * the completion subscription) is not counted against the host's. For each round the parent sends
 * { baseUrl, redisUrl, jobIds }; this process submits every job at once, waits for each job's
 * ai:job:complete:<jobId> message and answers with the submit latencies, the HTTP statuses and the
 * completion times (ms from the round's start).
 */
import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';

export interface RoundRequest {
  baseUrl: string;
  redisUrl: string;
  jobIds: string[];
  timeoutMs: number;
}

export interface RoundResult {
  submitMs: number[];
  statuses: number[];
  /** Per job id, ms from the round's start to its completion message (absent: never completed). */
  completionMs: Record<string, number>;
}

const sample = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '..', 'samples/trip-request.json'), 'utf8'),
) as Record<string, unknown>;

async function round({ baseUrl, redisUrl, jobIds, timeoutMs }: RoundRequest): Promise<RoundResult> {
  const subscriber = new Redis(redisUrl);
  const completedAt = new Map<string, number>();
  subscriber.on('pmessage', (_pattern: string, channel: string) => {
    completedAt.set(channel.slice('ai:job:complete:'.length), performance.now());
  });
  await subscriber.psubscribe('ai:job:complete:*');
  try {
    const started = performance.now();
    const submitMs: number[] = [];
    const statuses = await Promise.all(
      jobIds.map(async (jobId) => {
        const t0 = performance.now();
        try {
          const response = await fetch(`${baseUrl}/api/jobs/trip-generation`, {
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
    const accepted = jobIds.filter((_, i) => statuses[i] === 202);
    const deadline = Date.now() + timeoutMs;
    while (accepted.some((id) => !completedAt.has(id)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const completionMs: Record<string, number> = {};
    for (const id of accepted) {
      const at = completedAt.get(id);
      if (at !== undefined) completionMs[id] = at - started;
    }
    return { submitMs, statuses, completionMs };
  } finally {
    await subscriber.quit();
  }
}

process.on('message', (request: RoundRequest) => {
  round(request).then(
    (result) => process.send!(result),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => process.exit(0));
