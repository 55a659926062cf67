import type { InteractionLog } from './interaction-log';
import { artifactFromState, datasetFingerprint, serializeArtifact } from './model-artifact';
import type { ModelRegistry, ModelVersionRecord } from './model-registry';
import type { TrainingState } from './training-state';

/**
 * Registers a model trained in process (the demos, the serving tests): its artifact, and a version
 * record with its losses and epoch times. The training workflow registers through its own activity
 * (one version per job, retry-safe); this is for callers that train outside a job.
 */
export async function registerTrainedModel(
  registry: ModelRegistry,
  modelName: string,
  state: TrainingState,
  log: Pick<InteractionLog, 'userIds' | 'placeIds'> & Parameters<typeof datasetFingerprint>[0],
): Promise<ModelVersionRecord> {
  const fingerprint = datasetFingerprint(log);
  const { bytes, artifactSha256 } = serializeArtifact(
    artifactFromState(state, { userIds: log.userIds, placeIds: log.placeIds }, modelName, fingerprint),
  );
  await registry.ensureContainer();
  const record = await registry.registerVersion({
    modelName,
    algorithm: state.hyperparameters.algorithm,
    hyperparameters: state.hyperparameters,
    metrics: {},
    dataQuality: null,
    datasetFingerprint: fingerprint,
    artifactSha256,
    epochs: state.losses.map((loss, n) => ({ epoch: n + 1, loss, seconds: state.epochSeconds[n]! })),
    trainedAt: new Date().toISOString(),
    trainingSeconds: state.epochSeconds.reduce((a, b) => a + b, 0),
  });
  await registry.putArtifact(modelName, record.version, bytes);
  return record;
}
