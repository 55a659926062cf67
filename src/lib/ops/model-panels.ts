import type { ModelRegistry, ModelVersionRecord } from '../models/model-registry';

/** A model as the dashboard shows it: which version serves, the canary split, each version's offline metrics. */
export interface ModelPanel {
  modelName: string;
  productionVersion: number | null;
  canaryVersion: number | null;
  canaryPercent: number;
  versions: Array<Pick<ModelVersionRecord, 'version' | 'status' | 'algorithm' | 'metrics' | 'trainedAt'>>;
}

type ModelSource = () => Promise<ModelPanel[]>;
let source: ModelSource | undefined;

/**
 * Where the dashboard reads models: the app's registry (`readModelPanels`' fallback) unless a source
 * was registered here (the browser test feeds figures of its own this way).
 */
export function registerModelSource(next: ModelSource | undefined): void {
  source = next;
}

export function readModelPanels(fallback?: ModelSource): Promise<ModelPanel[]> {
  const read = source ?? fallback;
  return read ? read() : Promise.resolve([]);
}

/** Panels read from the Blob model registry (routing.json and every version record). */
export async function modelPanelsFromRegistry(
  registry: Pick<ModelRegistry, 'getRouting' | 'listVersions'>,
  modelNames: readonly string[],
): Promise<ModelPanel[]> {
  return Promise.all(
    modelNames.map(async (modelName) => {
      const [routing, versions] = await Promise.all([
        registry.getRouting(modelName),
        registry.listVersions(modelName),
      ]);
      return {
        modelName,
        productionVersion: routing.productionVersion,
        canaryVersion: routing.canaryVersion,
        canaryPercent: routing.canaryPercent,
        versions: versions.map(({ version, status, algorithm, metrics, trainedAt }) => ({
          version,
          status,
          algorithm,
          metrics,
          trainedAt,
        })),
      };
    }),
  );
}
