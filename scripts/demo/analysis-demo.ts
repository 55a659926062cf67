import { getJson, postJson } from './demo-host';
import { followJob } from './follow-job';
import { demoInteractions, favouriteOf } from './synthetic-interactions';

interface Profile {
  interactions: number;
  categories: Array<{ category: string; weight: number; counts: Record<string, number> }>;
  pace: unknown;
  budget: unknown;
  transport: unknown;
  activeHours: { topHours: number[] };
}

/**
 * `npm run demo -- analysis`: posts a (synthetic) user's interactions to POST /api/interactions, runs a
 * preferences analysis through POST /api/jobs/analysis, follows it and prints the profile it stored.
 */
export async function analysisDemo(): Promise<void> {
  const userId = `demo-user-${Date.now().toString(36)}`;
  const rows = demoInteractions(userId, 1);
  const stored = await postJson<{ stored: number }>('interactions', { interactions: rows });
  console.log(`Stored ${stored.stored} synthetic interactions of ${userId} (favourite: ${favouriteOf(1)})\n`);
  const job = await postJson<{ jobId: string; eventsUri: string; profileUri: string }>(
    'jobs/analysis',
    { userId, analysisType: 'preferences' },
    [202],
  );
  const outcome = await followJob(job.eventsUri);
  if (outcome.status !== 'completed')
    throw new Error(`the analysis ended ${outcome.status}: ${outcome.error ?? ''}`);
  const profile = await getJson<Profile>(job.profileUri);
  console.log(`\nProfile of ${userId} from ${profile.interactions} interactions (${job.profileUri}):`);
  console.table(
    profile.categories.map((c) => ({
      category: c.category,
      weight: c.weight.toFixed(3),
      because: Object.entries(c.counts)
        .map(([action, n]) => `${n} ${action}`)
        .join(', '),
    })),
  );
  console.log('pace:', JSON.stringify(profile.pace));
  console.log('budget:', JSON.stringify(profile.budget));
  console.log('transport:', JSON.stringify(profile.transport));
  console.log('active hours:', profile.activeHours.topHours.join(', '));
}
