import { createHash } from 'node:crypto';

/**
 * Canary maths, pure: which variant a user sees, and whether the canary's click-through is
 * significantly worse than production's (roll back), safely not worse after enough traffic
 * (promote), or not yet known (wait).
 */

/** A stable bucket 0-99 from sha256(userId + '\n' + modelName): same user, same bucket, per model. */
export function userBucket(userId: string, modelName: string): number {
  const digest = createHash('sha256').update(`${userId}\n${modelName}`).digest();
  return digest.readUInt32BE(0) % 100;
}

/** Buckets below `canaryPercent` get the canary; the rest production. */
export function variantFor(
  userId: string,
  modelName: string,
  canaryPercent: number,
): 'canary' | 'production' {
  if (!Number.isInteger(canaryPercent) || canaryPercent < 0 || canaryPercent > 100) {
    throw new RangeError('canaryPercent: must be a whole number from 0 to 100');
  }
  return userBucket(userId, modelName) < canaryPercent ? 'canary' : 'production';
}

export interface VariantCounts {
  impressions: number;
  clicks: number;
}

/** Thresholds of the decision; settings, with these defaults. */
export interface CanaryDecisionSettings {
  /** Impressions each variant needs before any decision. */
  minImpressionsPerVariant: number;
  /** Canary impressions after which a canary not significantly worse is promoted. */
  promoteAfterImpressions: number;
  /** One-sided significance level of "canary worse". */
  alpha: number;
  /** Relative CTR drop tolerated before "worse" counts (0.05: the canary may be 5 % lower). */
  tolerance: number;
}

export const DEFAULT_CANARY_SETTINGS: CanaryDecisionSettings = {
  minImpressionsPerVariant: 1000,
  promoteAfterImpressions: 5000,
  alpha: 0.05,
  tolerance: 0.05,
};

export interface CanaryDecision {
  action: 'rollback' | 'promote' | 'wait';
  reason: string;
  canaryCtr: number;
  productionCtr: number;
  /** z of (canary - production * (1 - tolerance)); negative when the canary is lower. */
  z: number;
  /** One-sided p-value of "canary CTR below production's less the tolerance". */
  pValue: number;
}

/**
 * Two-proportion z-test (pooled standard error) of the canary's CTR against production's lowered
 * by the tolerance. Roll back when p < alpha; promote when, with at least promoteAfterImpressions
 * canary impressions, it is not significantly worse; otherwise wait.
 */
export function decideCanary(
  canary: VariantCounts,
  production: VariantCounts,
  settings: CanaryDecisionSettings = DEFAULT_CANARY_SETTINGS,
): CanaryDecision {
  for (const [name, counts] of [
    ['canary', canary],
    ['production', production],
  ] as const) {
    if (
      !Number.isInteger(counts.impressions) ||
      counts.impressions < 0 ||
      !Number.isInteger(counts.clicks) ||
      counts.clicks < 0
    ) {
      throw new RangeError(`${name}: impressions and clicks must be whole numbers of at least 0`);
    }
    if (counts.clicks > counts.impressions)
      throw new RangeError(`${name}.clicks: more clicks than impressions`);
  }
  const canaryCtr = canary.impressions ? canary.clicks / canary.impressions : 0;
  const productionCtr = production.impressions ? production.clicks / production.impressions : 0;
  const base = { canaryCtr, productionCtr, z: 0, pValue: 1 };
  const least = Math.min(canary.impressions, production.impressions);
  if (least < settings.minImpressionsPerVariant) {
    return {
      ...base,
      action: 'wait',
      reason: `each variant needs ${settings.minImpressionsPerVariant} impressions; the smaller has ${least}`,
    };
  }
  const pooled = (canary.clicks + production.clicks) / (canary.impressions + production.impressions);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / canary.impressions + 1 / production.impressions));
  const gap = canaryCtr - productionCtr * (1 - settings.tolerance);
  const z = se > 0 ? gap / se : gap < 0 ? -Infinity : 0;
  const pValue = normalCdf(z);
  const figures = `CTR canary ${(canaryCtr * 100).toFixed(2)} % vs production ${(productionCtr * 100).toFixed(2)} %, z ${z.toFixed(2)}, p ${pValue.toFixed(4)}`;
  if (pValue < settings.alpha)
    return { ...base, z, pValue, action: 'rollback', reason: `canary significantly worse: ${figures}` };
  if (canary.impressions >= settings.promoteAfterImpressions) {
    return {
      ...base,
      z,
      pValue,
      action: 'promote',
      reason: `not worse after ${canary.impressions} impressions: ${figures}`,
    };
  }
  return { ...base, z, pValue, action: 'wait', reason: `not yet decided: ${figures}` };
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 via erf; absolute error under 1.5e-7). */
export function normalCdf(z: number): number {
  if (z === -Infinity) return 0;
  if (z === Infinity) return 1;
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
