import type { Interaction } from '../contracts/interaction';
import {
  actionWeight,
  DEFAULT_CONFIDENCE_WEIGHTS,
  validateConfidenceWeights,
  type ConfidenceWeights,
} from './confidence-weights';
import { fromMatrix, type InteractionMatrix } from './interaction-matrix';
import { csrFromTriplets } from './sparse-matrix';

/**
 * The interaction log in columns (user index, place index, weight, time in ms), the form the
 * holdout split, the evaluation and the synthetic generator share. Millions of rows fit where as
 * many objects would not.
 */
export interface InteractionLog {
  userIds: string[];
  placeIds: string[];
  user: Int32Array;
  place: Int32Array;
  weight: Float32Array;
  time: Float64Array;
}

export function logFromInteractions(
  interactions: ReadonlyArray<Pick<Interaction, 'userId' | 'placeId' | 'action' | 'rating' | 'at'>>,
  weights: ConfidenceWeights = DEFAULT_CONFIDENCE_WEIGHTS,
): InteractionLog {
  validateConfidenceWeights(weights);
  const userIds = [...new Set(interactions.map((i) => i.userId))].sort();
  const placeIds = [...new Set(interactions.map((i) => i.placeId))].sort();
  const userIndex = new Map(userIds.map((id, n) => [id, n]));
  const placeIndex = new Map(placeIds.map((id, n) => [id, n]));
  const log: InteractionLog = {
    userIds,
    placeIds,
    user: new Int32Array(interactions.length),
    place: new Int32Array(interactions.length),
    weight: new Float32Array(interactions.length),
    time: new Float64Array(interactions.length),
  };
  interactions.forEach((interaction, n) => {
    const time = Date.parse(interaction.at);
    if (Number.isNaN(time)) throw new RangeError(`interactions[${n}].at: must be an ISO 8601 date-time`);
    log.user[n] = userIndex.get(interaction.userId)!;
    log.place[n] = placeIndex.get(interaction.placeId)!;
    log.weight[n] = actionWeight(interaction, weights);
    log.time[n] = time;
  });
  return log;
}

/** The users x places matrix of the rows `keep` selects (all rows without it); ids keep their indices. */
export function matrixFromLog(log: InteractionLog, keep?: (row: number) => boolean): InteractionMatrix {
  const rows: number[] = [];
  for (let n = 0; n < log.user.length; n++) if (!keep || keep(n)) rows.push(n);
  const pick = <T extends Int32Array | Float32Array>(column: T, make: (n: number) => T) => {
    const out = make(rows.length);
    rows.forEach((row, n) => (out[n] = column[row]!));
    return out;
  };
  const byUser = csrFromTriplets(
    log.userIds.length,
    log.placeIds.length,
    pick(log.user, (n) => new Int32Array(n)),
    pick(log.place, (n) => new Int32Array(n)),
    pick(log.weight, (n) => new Float32Array(n)),
  );
  return fromMatrix(log.userIds, log.placeIds, byUser);
}
