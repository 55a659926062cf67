import type { Interaction } from '../contracts/interaction';
import {
  actionWeight,
  DEFAULT_CONFIDENCE_WEIGHTS,
  validateConfidenceWeights,
  type ConfidenceWeights,
} from './confidence-weights';
import { csrFromTriplets, transpose, type SparseMatrix } from './sparse-matrix';

/**
 * The training input: users x places with one summed action weight per pair, both ways round
 * (ALS solves users against places, then places against users), and the id <-> index maps.
 * Ids are indexed in sorted order, so the same log in any order gives the same matrix.
 */
export interface InteractionMatrix {
  userIds: string[];
  placeIds: string[];
  userIndex: Map<string, number>;
  placeIndex: Map<string, number>;
  byUser: SparseMatrix;
  byPlace: SparseMatrix;
}

export function buildInteractionMatrix(
  interactions: Iterable<Pick<Interaction, 'userId' | 'placeId' | 'action' | 'rating'>>,
  weights: ConfidenceWeights = DEFAULT_CONFIDENCE_WEIGHTS,
): InteractionMatrix {
  validateConfidenceWeights(weights);
  const list = [...interactions];
  const userIds = [...new Set(list.map((i) => i.userId))].sort(compareIds);
  const placeIds = [...new Set(list.map((i) => i.placeId))].sort(compareIds);
  const userIndex = new Map(userIds.map((id, n) => [id, n]));
  const placeIndex = new Map(placeIds.map((id, n) => [id, n]));
  const rowOf = new Int32Array(list.length);
  const colOf = new Int32Array(list.length);
  const valueOf = new Float32Array(list.length);
  list.forEach((interaction, n) => {
    rowOf[n] = userIndex.get(interaction.userId)!;
    colOf[n] = placeIndex.get(interaction.placeId)!;
    valueOf[n] = actionWeight(interaction, weights);
  });
  return fromMatrix(
    userIds,
    placeIds,
    csrFromTriplets(userIds.length, placeIds.length, rowOf, colOf, valueOf),
  );
}

/** Wraps an already built users x places matrix (benchmarks and fixtures build CSR directly). */
export function fromMatrix(userIds: string[], placeIds: string[], byUser: SparseMatrix): InteractionMatrix {
  if (userIds.length !== byUser.rows || placeIds.length !== byUser.cols)
    throw new RangeError('ids do not match the matrix shape');
  return {
    userIds,
    placeIds,
    userIndex: new Map(userIds.map((id, n) => [id, n])),
    placeIndex: new Map(placeIds.map((id, n) => [id, n])),
    byUser,
    byPlace: transpose(byUser),
  };
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
