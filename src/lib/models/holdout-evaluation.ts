import { rankingMetrics, type RankingMetrics } from './evaluation';
import type { Holdout } from './holdout';
import type { ModelArtifact } from './model-artifact';
import { popularityRanking, popularityTopK } from './popularity';
import { sharedFloat32 } from './sparse-matrix';
import type { ModelWorkerPool } from './worker-pool';

/**
 * A candidate, the popularity baseline and the production model measured on one holdout, the same
 * way (evaluation.ts): the comparison the deploy gate and the version record rest on.
 */
export interface HoldoutComparison {
  k: number;
  holdoutUsers: number;
  candidate: RankingMetrics;
  popularity: RankingMetrics;
  production: (RankingMetrics & { version: number; knownUsers: number }) | null;
}

type Scorer = Pick<ModelWorkerPool, 'scoreUsers'>;

export async function compareOnHoldout(
  scorer: Scorer,
  holdout: Holdout,
  candidate: { userFactors: Float32Array; itemFactors: Float32Array; factors: number },
  k: number,
  catalogSize: number,
  production?: { version: number; artifact: ModelArtifact },
): Promise<HoldoutComparison> {
  const { train, users, heldOut } = holdout;
  const metrics = (lists: Int32Array) => rankingMetrics(lists, k, users, heldOut, k, catalogSize);
  const own = await scorer.scoreUsers(
    candidate.userFactors,
    candidate.itemFactors,
    candidate.factors,
    train,
    users,
    k,
  );
  const popular = popularityTopK(popularityRanking(train), train, users, k);
  return {
    k,
    holdoutUsers: users.length,
    candidate: metrics(own.items),
    popularity: metrics(popular),
    production: production ? await productionMetrics(scorer, holdout, production, k, metrics) : null,
  };
}

/**
 * The production model on this holdout: its vectors put in this dataset's index space by id. A user
 * it never saw has no vector (a zero one: no better than chance), a place it never saw scores 0;
 * `knownUsers` says how many evaluated users it knew.
 */
async function productionMetrics(
  scorer: Scorer,
  holdout: Holdout,
  production: { version: number; artifact: ModelArtifact },
  k: number,
  metrics: (lists: Int32Array) => RankingMetrics,
) {
  const { artifact } = production;
  const f = artifact.hyperparameters.factors;
  const { train, users } = holdout;
  const userFactors = sharedFloat32(train.userIds.length * f);
  const itemFactors = sharedFloat32(train.placeIds.length * f);
  const userAt = new Map(artifact.userIds.map((id, n) => [id, n]));
  const placeAt = new Map(artifact.placeIds.map((id, n) => [id, n]));
  let knownUsers = 0;
  for (const u of users) {
    const from = userAt.get(train.userIds[u]!);
    if (from === undefined) continue;
    knownUsers++;
    userFactors.set(artifact.userFactors.subarray(from * f, (from + 1) * f), u * f);
  }
  train.placeIds.forEach((id, p) => {
    const from = placeAt.get(id);
    if (from !== undefined) itemFactors.set(artifact.itemFactors.subarray(from * f, (from + 1) * f), p * f);
  });
  const lists = await scorer.scoreUsers(userFactors, itemFactors, f, train, users, k);
  return { ...metrics(lists.items), version: production.version, knownUsers };
}
