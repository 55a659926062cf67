import type { EventPublisher } from '../messaging/event-publisher';
import type { RoutingDecision, RoutingRecord } from '../models/model-registry';

/**
 * Announces a routing decision as ModelDeployed on ai-model-events (model-management and
 * monitoring subscriptions). The message id names the decision (model, version, action, time), so a
 * retried announcement is dropped by the topic's duplicate detection.
 */
export async function announceDeployment(
  publisher: EventPublisher,
  routing: RoutingRecord,
  decision: RoutingDecision,
): Promise<void> {
  await publisher.publishModelEvent(
    'ModelDeployed',
    `ModelDeployed:${routing.modelName}:${decision.version}:${decision.action}:${decision.at}`,
    {
      modelName: routing.modelName,
      version: decision.version,
      action: decision.action,
      percent: decision.percent ?? null,
      reason: decision.reason,
      figures: decision.figures ?? null,
      at: decision.at,
      productionVersion: routing.productionVersion,
      canaryVersion: routing.canaryVersion,
      canaryPercent: routing.canaryPercent,
    },
  );
}

/** The decision a change just appended (the routing record's last). */
export function lastDecision(routing: RoutingRecord): RoutingDecision {
  const decision = routing.decisions.at(-1);
  if (!decision) throw new Error(`${routing.modelName}: the routing record has no decision`);
  return decision;
}
