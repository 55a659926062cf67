import { matrixFromLog, type InteractionLog } from './interaction-log';
import type { InteractionMatrix } from './interaction-matrix';

/**
 * The evaluation split: for each user with enough history, the places of their last `perUser`
 * liked interactions by time are held out; every row of those (user, place) pairs leaves the
 * training matrix, so the model never saw what it is asked to find. Users with fewer than
 * `perUser + minTrain` liked places keep everything in training and are not evaluated.
 */
export interface HoldoutOptions {
  perUser: number;
  minTrain: number;
}

export interface Holdout {
  train: InteractionMatrix;
  /** Evaluated users (ascending) and, for each, the held-out place indices. */
  users: Int32Array;
  heldOut: Map<number, Set<number>>;
}

export function holdoutByTime(
  log: InteractionLog,
  options: HoldoutOptions = { perUser: 1, minTrain: 2 },
): Holdout {
  const { perUser, minTrain } = options;
  if (!Number.isInteger(perUser) || perUser < 1)
    throw new RangeError('perUser: must be a whole number of at least 1');
  const rowsByUser = new Map<number, number[]>();
  for (let n = 0; n < log.user.length; n++) {
    if (!(log.weight[n]! > 0)) continue;
    const list = rowsByUser.get(log.user[n]!);
    if (list) list.push(n);
    else rowsByUser.set(log.user[n]!, [n]);
  }
  const heldOut = new Map<number, Set<number>>();
  for (const [user, rows] of rowsByUser) {
    if (new Set(rows.map((n) => log.place[n]!)).size < perUser + minTrain) continue;
    rows.sort((a, b) => log.time[b]! - log.time[a]! || b - a); // latest first
    const places = new Set<number>();
    for (const n of rows) {
      if (places.size === perUser) break;
      places.add(log.place[n]!);
    }
    heldOut.set(user, places);
  }
  const train = matrixFromLog(log, (n) => !heldOut.get(log.user[n]!)?.has(log.place[n]!));
  const users = Int32Array.from([...heldOut.keys()].sort((a, b) => a - b));
  return { train, users, heldOut };
}
