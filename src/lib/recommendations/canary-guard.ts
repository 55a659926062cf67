import { decideCanary, type CanaryDecisionSettings } from '../models/canary';
import type { EventPublisher } from '../messaging/event-publisher';
import { CanaryChangedError, type RoutingRecord } from '../models/model-registry';
import { announceDeployment, lastDecision } from './deployment-events';
import { mergeBuckets, sumCounts } from './feedback-archive';
import { counterPrefix } from './feedback-counters';
import { feedbackBucket } from './feedback-settings';
import type { ModelServing } from './model-serving';

export interface GuardOutcome {
  modelName: string;
  action: 'rollback' | 'promote' | 'wait' | 'skip';
  reason: string;
  figures?: Record<string, unknown>;
}

/**
 * One look of the canary guard at one model: the canary's clicked-list rate against production's
 * since the canary was deployed (Redis counters merged with the Blob archive, so a Redis loss does
 * not erase the evidence), decided by canary.ts's two-proportion test. Rollback: the canary is
 * marked rolled_back and all traffic goes to production; promote: the canary becomes production.
 * Both are recorded with their figures in the routing record and announced as ModelDeployed.
 */
export async function guardModel(
  serving: ModelServing,
  publisher: EventPublisher,
  modelName: string,
  settings: CanaryDecisionSettings,
): Promise<GuardOutcome> {
  const routing = await serving.registry.getRouting(modelName);
  const { canaryVersion, productionVersion } = routing;
  if (canaryVersion === null || productionVersion === null)
    return { modelName, action: 'skip', reason: 'no canary is live' };
  const since = deployedAt(routing, canaryVersion);
  const buckets = mergeBuckets(
    await serving.archive.load(modelName),
    await serving.counters.readBuckets(modelName, since),
  );
  const fromBucket = feedbackBucket(since).id;
  const canary = sumCounts(buckets, counterPrefix('canary', canaryVersion), fromBucket);
  const production = sumCounts(buckets, counterPrefix('production', productionVersion), fromBucket);
  const decision = decideCanary(
    { impressions: canary.impressions, clicks: canary.clicks },
    { impressions: production.impressions, clicks: production.clicks },
    settings,
  );
  const figures = {
    since: new Date(since).toISOString(),
    canary: { version: canaryVersion, ...canary, ctr: decision.canaryCtr },
    production: { version: productionVersion, ...production, ctr: decision.productionCtr },
    z: Number.isFinite(decision.z) ? decision.z : String(decision.z),
    pValue: decision.pValue,
    settings,
  };
  await serving.guardLog.append({
    at: new Date().toISOString(),
    modelName,
    action: decision.action,
    reason: decision.reason,
    figures,
  });
  if (decision.action === 'wait') return { modelName, action: 'wait', reason: decision.reason, figures };
  // Acting on a canary that is still the one measured: checked inside the routing record's
  // ETag-guarded write, so of two looks acting at once (the timer and the admin route) one records
  // its decision and the other finds the canary changed.
  let changed: RoutingRecord;
  try {
    changed =
      decision.action === 'rollback'
        ? await serving.registry.rollback(
            modelName,
            `canary guard: ${decision.reason}`,
            figures,
            canaryVersion,
          )
        : await serving.registry.deploy(
            modelName,
            canaryVersion,
            100,
            `canary guard: ${decision.reason}`,
            figures,
            canaryVersion,
          );
  } catch (error) {
    if (!(error instanceof CanaryChangedError)) throw error;
    return { modelName, action: 'skip', reason: `the canary changed to ${error.found} meanwhile` };
  }
  serving.routing.invalidate(modelName);
  await announceDeployment(publisher, changed, lastDecision(changed));
  return { modelName, action: decision.action, reason: decision.reason, figures };
}

/** When the live canary was deployed (its latest deploy decision); the counting starts there. */
function deployedAt(routing: RoutingRecord, version: number): number {
  const deploy = [...routing.decisions].reverse().find((d) => d.action === 'deploy' && d.version === version);
  return deploy ? Date.parse(deploy.at) : 0;
}

/** Copies every model's Redis counters to the Blob archive (the health timer's part). */
export async function archiveFeedback(serving: ModelServing): Promise<number> {
  const names = await serving.modelNames();
  for (const modelName of names)
    await serving.archive.save(modelName, await serving.counters.readBuckets(modelName, 0));
  return names.length;
}
