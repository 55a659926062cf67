import { app, type InvocationContext, type Timer } from '@azure/functions';
import { appServices } from '../lib/app-services';
import { cacheStats } from '../lib/cache/cache-stats';
import { BUSINESS_TARGETS } from '../lib/health/alert-thresholds';
import { checkRedisHealth } from '../lib/health/redis-health';
import { sharedRedis } from '../lib/redis/shared-clients';
import { archiveFeedback } from '../lib/recommendations/canary-guard';
import { ensureVisitedSets, type VisitedRebuild } from '../lib/recommendations/visited-rebuild';

/**
 * Every 5 minutes: ping every Redis master, compare memory, clients and load with the guide's alert
 * thresholds, report the cache hit ratios, archive the canary evidence and, after a Redis data loss,
 * rebuild the visited sets from the interaction log. Warnings go to the log (and so to Application Insights),
 * where the operators' queries pick them up.
 */
app.timer('redisHealthCheck', {
  schedule: '0 */5 * * * *',
  runOnStartup: false,
  handler: async (timer: Timer, context: InvocationContext) => {
    const { client } = await sharedRedis(appServices().settings);
    const health = await checkRedisHealth(client);
    const caches = cacheStats.snapshot();
    const recommendation = caches.recommendation;
    const warnings = [...health.warnings];
    if (
      recommendation &&
      recommendation.hits + recommendation.misses >= 100 &&
      recommendation.hitRatio < BUSINESS_TARGETS.recommendationHitRatio
    ) {
      warnings.push(`recommendation cache hit ratio ${(recommendation.hitRatio * 100).toFixed(1)} % < 80 %`);
    }
    // The canary evidence to Blob, so a Redis loss does not erase it (canary-guard.ts).
    try {
      await archiveFeedback(await appServices().modelServing());
    } catch (error) {
      warnings.push(
        `feedback counters not archived: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    // Visited sets lost with Redis's data come back from the interaction log (visited-rebuild.ts).
    let visited: VisitedRebuild | undefined;
    try {
      visited = await ensureVisitedSets(client, appServices().blobService());
      if (visited.rebuilt)
        context.log(
          `Visited sets rebuilt from the interaction log: ${visited.users} users, ${visited.places} places`,
        );
    } catch (error) {
      warnings.push(`visited sets not rebuilt: ${error instanceof Error ? error.message : String(error)}`);
    }
    const report = {
      healthy: warnings.length === 0,
      isPastDue: timer.isPastDue,
      nodes: health.nodes,
      caches,
      visited,
      warnings,
    };
    if (warnings.length > 0) context.warn(`Redis health: ${warnings.join('; ')}`, report);
    else context.log('Redis health: ok', report);
  },
});
