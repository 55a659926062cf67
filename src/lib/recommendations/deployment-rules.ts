import type { ModelVersionRecord, RoutingRecord } from '../models/model-registry';

/**
 * Which routing changes the model API allows; each refusal is a 409 with this reason.
 * - percent < 100 (canary): needs a production version to compare with, and no other canary live
 *   (roll it back or promote it first); the production version itself cannot be its own canary.
 * - percent 100 (promote): any version not already production.
 * - Never a version that was rolled back: its evidence stands; train and register a new one.
 */
export function deploymentRefusal(
  routing: RoutingRecord,
  version: ModelVersionRecord,
  percent: number,
): string | undefined {
  const name = `${version.modelName} version ${version.version}`;
  if (version.status === 'rolled_back')
    return `${name} was rolled back; register a new version instead of redeploying it`;
  if (percent === 100) {
    return routing.productionVersion === version.version ? `${name} is already production` : undefined;
  }
  if (routing.productionVersion === null)
    return `${version.modelName} has no production version to compare a canary with; deploy a version at 100 first`;
  if (routing.productionVersion === version.version)
    return `${name} is production; a canary must be another version`;
  if (version.status === 'retired') return `${name} is retired; only percent 100 may bring it back`;
  if (routing.canaryVersion !== null && routing.canaryVersion !== version.version)
    return `${version.modelName} already has version ${routing.canaryVersion} as its canary; roll it back or promote it first`;
  return undefined;
}

export function rollbackRefusal(routing: RoutingRecord): string | undefined {
  return routing.canaryVersion === null
    ? `${routing.modelName} has no canary to roll back (production is version ${routing.productionVersion ?? 'none'})`
    : undefined;
}
