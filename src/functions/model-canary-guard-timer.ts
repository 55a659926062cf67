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
    for (const modelName of await serving.modelNames()) {
      const outcome = await guardModel(
        serving,
        services.eventPublisher(),
        modelName,
        services.settings.canary,
      );
      if (outcome.action === 'rollback') context.warn(`Canary guard: ${modelName} rolled back`, outcome);
      else context.log(`Canary guard: ${modelName} ${outcome.action}`, outcome);
    }
  },
});
