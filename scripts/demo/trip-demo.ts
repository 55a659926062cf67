import fs from 'node:fs';
import path from 'node:path';
import { getJson, postJson } from './demo-host';
import { followJob } from './follow-job';
import { printItinerary, type Schedule } from './itinerary-table';

const root = path.resolve(__dirname, '../..');

/**
 * `npm run demo` (or `-- trip`): submits samples/trip-request.json (Seoul, 41 places) to
 * POST /api/jobs/trip-generation, follows the job live and prints the day-by-day itinerary.
 */
export async function tripDemo(): Promise<void> {
  const sample = JSON.parse(fs.readFileSync(path.join(root, 'samples/trip-request.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const suffix = Date.now().toString(36);
  const request: Record<string, unknown> = {
    ...sample,
    jobId: `demo-${suffix}`,
    tripId: `${String(sample.tripId)}-${suffix}`,
  };
  const links = await postJson<{ jobId: string; eventsUri: string; scheduleUri: string }>(
    'jobs/trip-generation',
    request,
    [202],
  );
  console.log(
    `Job ${links.jobId} accepted: ${request.destination as string}, ${request.days as number} days from ${request.startDate as string}\n`,
  );
  const outcome = await followJob(links.eventsUri);
  if (outcome.status !== 'completed')
    throw new Error(`the job ended ${outcome.status}: ${outcome.error ?? ''}`);
  printItinerary(await getJson<Schedule>(links.scheduleUri));
}
