import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { appServices } from '../lib/app-services';
import { sweepJobs } from '../orchestrations/kit/reconcile-sweep';

/**
 * Every minute: jobs whose orchestration died outside its own error handling (a crash, a terminate
 * from elsewhere, a purge, a host that lost it) are marked failed and announced on ai:job:error, even
 * when nobody reads them (GET /api/jobs/{jobId} reconciles on read as well).
 */
app.timer('reconcileJobs', {
  schedule: '0 * * * * *',
  runOnStartup: false,
  extraInputs: [df.input.durableClient()],
  handler: async (_timer: unknown, context: InvocationContext) => {
    const report = await sweepJobs(await appServices().jobStore(), df.getClient(context));
    for (const { jobId, error } of report.failed) context.warn(`Reconciled job ${jobId} as failed: ${error}`);
    context.log(
      `Job sweep: ${report.checked} checked, ${report.failed.length} marked failed, ${report.forgotten} done`,
    );
  },
});
