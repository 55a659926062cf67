import { matrixFromLog } from '../../../src/lib/models/interaction-log';
import { plantedTasteData } from '../../../src/lib/models/synthetic-data';

/** Small planted-taste data (synthetic) shared by the model tests: a second or less to train. */
export function smallPlantedData(seed = 7) {
  const data = plantedTasteData({ users: 400, places: 150, interactions: 8000, categories: 6, seed });
  return { ...data, matrix: matrixFromLog(data.log) };
}

export function bytesOf(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}
