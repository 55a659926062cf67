import { BlobServiceClient } from '@azure/storage-blob';
import { matrixFromLog, type InteractionLog } from '../../src/lib/models/interaction-log';
import { ModelRegistry, type ModelVersionRecord } from '../../src/lib/models/model-registry';
import { MODELS_CONTAINER } from '../../src/lib/models/model-storage';
import { registerTrainedModel } from '../../src/lib/models/register-trained-model';
import { plantedTasteData } from '../../src/lib/models/synthetic-data';
import { initialTrainingState, trainEpoch } from '../../src/lib/models/training';

/**
 * SYNTHETIC planted-taste data (src/lib/models/synthetic-data.ts) for the serving suite: users of
 * this run (ids prefixed by `run`, so runs and suites sharing the rig's Redis never meet), places
 * split between two destinations, a small ALS model trained in process with the model library and
 * registered through the real registry in Azurite, as the training workflow would.
 */
export interface ServingData {
  log: InteractionLog;
  userIds: string[];
  categoryOf: (placeId: string) => string;
  /** Destination A holds the first half of the places, B the rest. */
  placesOf: { a: string[]; b: string[] };
}

export function servingData(run: string, seed = 11): ServingData {
  const data = plantedTasteData({ users: 160, places: 60, interactions: 3200, categories: 4, seed });
  const log = { ...data.log, userIds: data.log.userIds.map((id) => `${run}-${id}`) };
  const half = log.placeIds.length / 2;
  return {
    log,
    userIds: log.userIds,
    categoryOf: (placeId) => data.categoryNames[data.placeCategory[log.placeIds.indexOf(placeId)]!]!,
    placesOf: { a: log.placeIds.slice(0, half), b: log.placeIds.slice(half) },
  };
}

export function catalogPlaces(data: ServingData, placeIds: string[]) {
  return placeIds.map((id, n) => ({
    id,
    name: `Synthetic ${id}`,
    lat: 37.5 + n * 0.001,
    lng: 127 + n * 0.001,
    category: data.categoryOf(id),
    visitMinutes: 60,
    priceLevel: 1,
    rating: 4,
  }));
}

/** Trains `epochs` of ALS at 8 factors and registers the result as a new candidate version. */
export async function trainAndRegister(
  connectionString: string,
  modelName: string,
  data: ServingData,
  seed: number,
  epochs = 4,
): Promise<ModelVersionRecord> {
  const matrix = matrixFromLog(data.log);
  let state = initialTrainingState(matrix, { factors: 8, epochs, seed, regularization: 0.05 });
  for (let e = 0; e < epochs; e++) state = await trainEpoch(state, matrix);
  const registry = new ModelRegistry(
    BlobServiceClient.fromConnectionString(connectionString).getContainerClient(MODELS_CONTAINER),
  );
  return registerTrainedModel(registry, modelName, state, data.log);
}
