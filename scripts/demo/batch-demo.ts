import { getJson, postJson } from './demo-host';
import { followJob } from './follow-job';
import { demoInteractions } from './synthetic-interactions';

const USERS = 300;

/**
 * `npm run demo -- batch`: stores synthetic interactions for 300 users, then runs one batch job of 300
 * preference analyses (chunks of BatchSize as sub-orchestrations, at most ModelParallelism at once)
 * with a live progress bar, and prints the result.
 */
export async function batchDemo(): Promise<void> {
  const run = Date.now().toString(36);
  const users = Array.from({ length: USERS }, (_, i) => `demo-${run}-u${String(i).padStart(3, '0')}`);
  const rows = users.flatMap((userId, i) => demoInteractions(userId, i));
  for (let start = 0; start < rows.length; start += 10_000)
    await postJson('interactions', { interactions: rows.slice(start, start + 10_000) });
  console.log(`Stored ${rows.length} synthetic interactions of ${USERS} users\n`);
  const job = await postJson<{ jobId: string; eventsUri: string; statusUri: string }>(
    'jobs/batch',
    { operation: 'analyse-preferences', items: users.map((userId) => ({ userId })) },
    [202],
  );
  const outcome = await followJob(job.eventsUri, (data) =>
    typeof data.done === 'number' ? `${data.done}/${String(data.total)} items` : String(data.step ?? ''),
  );
  if (outcome.status !== 'completed')
    throw new Error(`the batch ended ${outcome.status}: ${outcome.error ?? ''}`);
  const status = await getJson<{
    result: { total: number; succeeded: number; failed: number; resultUri: string };
  }>(job.statusUri);
  const { total, succeeded, failed, resultUri } = status.result;
  console.log(`\nBatch ${job.jobId}: ${total} items, ${succeeded} succeeded, ${failed} failed`);
  console.log(`Per-item results: ${resultUri}`);
}
