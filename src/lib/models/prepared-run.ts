import { blobServiceFor, type BlobAccess } from '../config/blob-access';
import { holdoutByTime, type Holdout } from './holdout';
import { MODELS_CONTAINER } from './model-storage';
import type { SparseMatrix } from './sparse-matrix';
import { TrainingDataStore } from './training-dataset';

/** The evaluation split every training job uses: each user's last 2 liked places, by time. */
export const HOLDOUT = { perUser: 2, minTrain: 2 } as const;

/** A training job's frozen data as its epochs, evaluation and registration use it. */
export interface PreparedRun {
  userIds: string[];
  placeIds: string[];
  fingerprint: string;
  holdout: Holdout;
}

/** The same, as plain data (typed arrays over shared memory) that crosses a thread boundary. */
export interface PreparedRunParts {
  userIds: string[];
  placeIds: string[];
  fingerprint: string;
  byUser: SparseMatrix;
  byPlace: SparseMatrix;
  users: Int32Array;
  /** Held-out places of users[n]: heldOutPlaces[heldOutIndptr[n] .. heldOutIndptr[n + 1]). */
  heldOutIndptr: Int32Array;
  heldOutPlaces: Int32Array;
}

/**
 * Worker-thread task: downloads and checks the job's frozen dataset and splits the holdout (both
 * O(rows): measured 0.9 s for the split of 300,000 rows), returning only arrays.
 */
export async function loadPreparedRunTask(job: {
  blob: BlobAccess;
  modelName: string;
  jobId: string;
}): Promise<PreparedRunParts> {
  const store = new TrainingDataStore(blobServiceFor(job.blob).getContainerClient(MODELS_CONTAINER));
  const data = await store.load(job.modelName, job.jobId);
  if (!data) throw new Error(`training job ${job.jobId} has no frozen dataset (its first step did not run?)`);
  const { train, users, heldOut } = holdoutByTime(data.log, HOLDOUT);
  const heldOutIndptr = new Int32Array(users.length + 1);
  const places: number[] = [];
  users.forEach((user, n) => {
    places.push(...heldOut.get(user)!);
    heldOutIndptr[n + 1] = places.length;
  });
  return {
    userIds: data.log.userIds,
    placeIds: data.log.placeIds,
    fingerprint: data.fingerprint,
    byUser: train.byUser,
    byPlace: train.byPlace,
    users,
    heldOutIndptr,
    heldOutPlaces: Int32Array.from(places),
  };
}

/** Back on the main thread: the maps, O(users + places). */
export function preparedRunFrom(parts: PreparedRunParts): PreparedRun {
  const heldOut = new Map<number, Set<number>>();
  parts.users.forEach((user, n) =>
    heldOut.set(
      user,
      new Set(parts.heldOutPlaces.subarray(parts.heldOutIndptr[n]!, parts.heldOutIndptr[n + 1]!)),
    ),
  );
  return {
    userIds: parts.userIds,
    placeIds: parts.placeIds,
    fingerprint: parts.fingerprint,
    holdout: {
      train: {
        userIds: parts.userIds,
        placeIds: parts.placeIds,
        userIndex: new Map(parts.userIds.map((id, n) => [id, n])),
        placeIndex: new Map(parts.placeIds.map((id, n) => [id, n])),
        byUser: parts.byUser,
        byPlace: parts.byPlace,
      },
      users: parts.users,
      heldOut,
    },
  };
}
