/**
 * npm run demo — generates a real trip end to end: submits samples/trip-request.json (Seoul, 41
 * places) to POST /api/jobs/trip-generation, follows the job live on its Server-Sent Events stream,
 * and prints the day-by-day itinerary. Uses the local host already listening on FUNCHOST_URL
 * (default http://127.0.0.1:7071, e.g. `npm run dev`), or starts one in this process: the app from
 * src/, the Service Bus emulation, and Redis from REDIS_URL or a private redis-server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { topology } from '../src/lib/messaging/topology';
import { startLocalHost, type LocalHost } from '../tools/funchost/host';
import { loadEntry } from '../tools/funchost/loader';
import { startRedisServer, type RedisProcessHandle } from '../tools/redis/redis-process';
import { printItinerary, type Schedule } from './itinerary-table';

const root = path.resolve(__dirname, '..');
const baseUrl = process.env.FUNCHOST_URL ?? 'http://127.0.0.1:7071';

async function hostIsUp(): Promise<boolean> {
  try {
    await fetch(`${baseUrl}/api/jobs/probe`);
    return true;
  } catch {
    return false;
  }
}

async function startHostHere(): Promise<{ host: LocalHost; redis?: RedisProcessHandle }> {
  const redis = process.env.REDIS_URL ? undefined : await startRedisServer();
  process.env.REDIS_URL ??= redis!.url;
  process.env.DURABLE_TASK_HUB_NAME ??= 'TripGenAIDemo';
  process.env.AzureWebJobsStorage ??= 'UseDevelopmentStorage=true';
  console.log(
    `Starting the local host on ${baseUrl} (Redis: ${process.env.REDIS_URL}${redis ? ', private' : ''})`,
  );
  const host = await startLocalHost({
    load: () => loadEntry(path.join(root, 'src/index.ts')),
    port: Number(new URL(baseUrl).port),
    hostJsonPath: path.join(root, 'host.json'),
    serviceBus: { topology },
    quiet: true,
  });
  return { host, redis };
}

function bar(progress: number, width = 30): string {
  const filled = Math.round((progress / 100) * width);
  return `[${'█'.repeat(filled)}${'·'.repeat(width - filled)}] ${String(progress).padStart(3)}%`;
}

async function follow(eventsUri: string): Promise<{ status: string; error?: string }> {
  const response = await fetch(`${baseUrl}${eventsUri}`);
  if (!response.body) throw new Error('the events stream has no body');
  const decoder = new TextDecoder();
  let buffer = '';
  let last: { status: string; error?: string } = { status: 'queued' };
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (!data) continue;
      const message = JSON.parse(data) as {
        status: string;
        progress: number;
        data: { step: string; error?: string };
      };
      process.stdout.write(
        `\r${bar(message.progress)}  ${message.status.padEnd(10)} ${message.data.step.padEnd(22)}`,
      );
      last = { status: message.status, error: message.data.error };
    }
  }
  process.stdout.write('\n');
  return last;
}

async function main(): Promise<void> {
  const started = (await hostIsUp()) ? undefined : await startHostHere();
  try {
    const sample = JSON.parse(
      fs.readFileSync(path.join(root, 'samples/trip-request.json'), 'utf8'),
    ) as Record<string, unknown>;
    const suffix = Date.now().toString(36);
    const request: Record<string, unknown> = {
      ...sample,
      jobId: `demo-${suffix}`,
      tripId: `${String(sample.tripId)}-${suffix}`,
    };
    const submitted = await fetch(`${baseUrl}/api/jobs/trip-generation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    const links = (await submitted.json()) as {
      jobId: string;
      eventsUri: string;
      scheduleUri: string;
      issues?: unknown;
    };
    if (submitted.status !== 202)
      throw new Error(`the API refused the request (${submitted.status}): ${JSON.stringify(links)}`);
    console.log(
      `Job ${links.jobId} accepted: ${request.destination as string}, ${request.days as number} days from ${request.startDate as string}\n`,
    );
    const outcome = await follow(links.eventsUri);
    if (outcome.status !== 'completed')
      throw new Error(`the job ended ${outcome.status}: ${outcome.error ?? ''}`);
    const schedule = (await (await fetch(`${baseUrl}${links.scheduleUri}`)).json()) as Schedule;
    printItinerary(schedule);
  } finally {
    await started?.host.stop();
    await started?.redis?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`\n${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
