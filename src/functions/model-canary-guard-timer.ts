import { app, type InvocationContext, type Timer } from '@azure/functions';
import { appServices } from '../lib/app-services';
import { guardModel } from '../lib/recommendations/canary-guard';

/**
 * Every 5 minutes (and on demand: POST /admin/functions/modelCanaryGuard with the master key): for
 * each model with a live canary, roll it back when its click-through is significantly worse than
 * production's, promote it when it is not worse after enough impressions (canary-guard.ts).
 */
app.timer('modelCanaryGuard', {
  schedule: '0 */5 * * * *',
  runOnStartup: false,
  handler: async (_timer: Timer, context: InvocationContext) => {
    const services = appServices();
    const serving = await services.modelServing();
    const failed: string[] = [];
    for (const modelName of await serving.modelNames()) {
      // One model's trouble (a registry write refused, Service Bus down) does not stop the others' looks.
      try {
        const outcome = await guardModel(
          serving,
          services.eventPublisher(),
          modelName,
          services.settings.canary,
        );
        if (outcome.action === 'rollback') context.warn(`Canary guard: ${modelName} rolled back`, outcome);
        else context.log(`Canary guard: ${modelName} ${outcome.action}`, outcome);
      } catch (error) {
        failed.push(modelName);
        context.error(`Canary guard: ${modelName} could not be checked`, error);
      }
    }
    // The invocation fails (and shows as failed in Application Insights) when any model's look did.
    if (failed.length > 0) throw new Error(`canary guard failed for ${failed.join(', ')}`);
  },
});
