/**
 * npm run demo (or `npm run demo -- trip`) — generates a real trip end to end: submits
 * samples/trip-request.json (Seoul, 41 places) to POST /api/jobs/trip-generation, follows the job
 * live on its Server-Sent Events stream, and prints the day-by-day itinerary. Uses the local host on
 * FUNCHOST_URL when one answers, or starts one in this process (demo-host.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { demoBaseUrl as baseUrl, startDemoHostUnlessUp } from './demo-host';
import { printItinerary, type Schedule } from './itinerary-table';
import { followJob } from './job-follow';

const root = path.resolve(__dirname, '..');

export async function runTripDemo(): Promise<void> {
  const started = await startDemoHostUnlessUp('TripGenAIDemo');
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
    const outcome = await followJob(links.eventsUri);
    if (outcome.status !== 'completed')
      throw new Error(`the job ended ${outcome.status}: ${outcome.error ?? ''}`);
    const schedule = (await (await fetch(`${baseUrl}${links.scheduleUri}`)).json()) as Schedule;
    printItinerary(schedule);
  } finally {
    await started?.stop();
  }
}
