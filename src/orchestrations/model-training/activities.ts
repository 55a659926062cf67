import type { BlobServiceClient } from '@azure/storage-blob';
import type { BlobAccess } from '../../lib/config/blob-access';
import type { ModelTrainingSettings } from '../../lib/config/model-settings';
import type { PreparedDataset } from '../../lib/models/dataset-preparation';
import type { TrainingDataset } from '../../lib/contracts/model-training-request';
import { PermanentError } from '../../lib/errors/app-errors';
import type { ModelEventType, EventPublisher } from '../../lib/messaging/event-publisher';
import type { DataQualityReport } from '../../lib/models/data-quality';
import { compareOnHoldout, type HoldoutComparison } from '../../lib/models/holdout-evaluation';
import { resolveHyperparameters, type Hyperparameters } from '../../lib/models/hyperparameters';
import { artifactFromState, deserializeArtifact, serializeArtifact } from '../../lib/models/model-artifact';
import { checkpointStore, modelRegistry } from '../../lib/models/model-storage';
import { initialTrainingState } from '../../lib/models/training';
import { preparedRunFrom, type PreparedRunParts } from '../../lib/models/prepared-run';
import type { CheckpointStore } from '../../lib/models/checkpoint-store';
import type { TrainingState } from '../../lib/models/training-state';
import type { ModelWorkerPool } from '../../lib/models/worker-pool';
import { runActivity } from '../shared/activity-outcome';
import type { ActivityHandler } from '../kit/workflow-definition';
import { ModelTrainingNames as Names } from './names';
import { PreparedRuns } from './prepared-runs';

export interface ModelTrainingActivityDeps {
  blobService(): BlobServiceClient;
  /** The same storage as plain data, for the worker thread that prepares the dataset. */
  blobAccess(): BlobAccess;
  workerPool(): ModelWorkerPool;
  settings(): ModelTrainingSettings;
  eventPublisher(): EventPublisher;
}

export interface EpochResult {
  epoch: number;
  loss: number;
  seconds: number;
  /** The checkpoint's epoch this activity started from; null when it found the epoch already done. */
  from: number | null;
}

export interface RegisteredVersion {
  version: number;
  status: string;
  artifactSha256: string;
  datasetFingerprint: string;
}

export interface DeployOutcome {
  deployed: boolean;
  status: string;
  percent: number;
  reason: string;
  figures: Record<string, unknown>;
}

/**
 * The training activities. Each is safe to retry: the dataset is frozen once per job (the first
 * snapshot wins); an epoch starts from the job's latest checkpoint and does nothing when the
 * checkpoint is already past it; the registry gives a job one version however often it asks; a
 * version already deployed is not deployed again; announcements carry ids from the job.
 */
export function createModelTrainingActivities(
  deps: ModelTrainingActivityDeps,
): Record<string, ActivityHandler> {
  const registry = () => modelRegistry(deps.blobService());
  // One store for the activities' life: it remembers the state it wrote, so the next epoch need
  // not download it again.
  let store: CheckpointStore | undefined;
  const checkpoints = () => (store ??= checkpointStore(deps.blobService()));
  // Loading a job's data and splitting its holdout is O(rows): done in a worker thread.
  const prepared = new PreparedRuns(async (modelName, jobId) =>
    preparedRunFrom(
      (await deps.workerPool().run({
        kind: 'loadPreparedRun',
        blob: deps.blobAccess(),
        modelName,
        jobId,
      })) as PreparedRunParts,
    ),
  );

  const finalState = async (modelName: string, jobId: string): Promise<TrainingState> => {
    const state = await checkpoints().load(modelName, jobId);
    if (!state) throw new Error(`training job ${jobId} has no checkpoint to evaluate`);
    return state;
  };

  return {
    [Names.activities.prepare]: (input: { jobId: string; modelName: string; dataset: TrainingDataset }) =>
      runActivity(async () => {
        const { dataQuality, confidenceWeights } = deps.settings();
        // O(rows) CPU: the whole step runs in a worker thread (dataset-preparation.ts).
        const outcome = (await deps.workerPool().run({
          kind: 'prepareDataset',
          blob: deps.blobAccess(),
          modelName: input.modelName,
          jobId: input.jobId,
          dataset: input.dataset,
          dataQuality,
          confidenceWeights,
        })) as PreparedDataset | { permanentFailure: { message: string; code: string } };
        if ('permanentFailure' in outcome)
          throw new PermanentError(outcome.permanentFailure.message, outcome.permanentFailure.code);
        return outcome;
      }),

    [Names.activities.trainEpoch]: (input: {
      jobId: string;
      modelName: string;
      targetEpoch: number;
      hyperparameters: Partial<Hyperparameters>;
    }) =>
      runActivity(async (): Promise<EpochResult> => {
        const run = await prepared.get(input.modelName, input.jobId);
        const saved = await checkpoints().load(input.modelName, input.jobId);
        // Already there (this activity ran before a crash, or a retry): report, do not train again.
        if (saved && saved.epoch >= input.targetEpoch) return epochOf(saved, input.targetEpoch, null);
        const start =
          saved ?? initialTrainingState(run.holdout.train, resolveHyperparameters(input.hyperparameters));
        const next = await deps.workerPool().trainEpoch(start, run.holdout.train);
        await checkpoints().save(input.modelName, input.jobId, next);
        return epochOf(next, next.epoch, start.epoch);
      }),

    [Names.activities.evaluate]: (input: { jobId: string; modelName: string; k: number }) =>
      runActivity(async (): Promise<HoldoutComparison> => {
        const run = await prepared.get(input.modelName, input.jobId);
        const state = await finalState(input.modelName, input.jobId);
        const reg = registry();
        const routing = await reg.getRouting(input.modelName);
        let production;
        if (routing.productionVersion !== null) {
          const record = await reg.getVersion(input.modelName, routing.productionVersion);
          const bytes = await reg.getArtifact(input.modelName, routing.productionVersion);
          production = {
            version: routing.productionVersion,
            artifact: deserializeArtifact(bytes, record?.artifactSha256),
          };
        }
        return compareOnHoldout(
          deps.workerPool(),
          run.holdout,
          {
            userFactors: state.userFactors,
            itemFactors: state.itemFactors,
            factors: state.hyperparameters.factors,
          },
          input.k,
          run.placeIds.length,
          production,
        );
      }),

    [Names.activities.register]: (input: {
      jobId: string;
      modelName: string;
      evaluation: HoldoutComparison;
      dataQuality: DataQualityReport;
      trainedAt: string;
    }) =>
      runActivity(async (): Promise<RegisteredVersion> => {
        const run = await prepared.get(input.modelName, input.jobId);
        const state = await finalState(input.modelName, input.jobId);
        const { bytes, artifactSha256 } = serializeArtifact(
          artifactFromState(state, run, input.modelName, run.fingerprint),
        );
        const record = await registry().registerVersionForJob(
          input.jobId,
          {
            modelName: input.modelName,
            algorithm: state.hyperparameters.algorithm,
            hyperparameters: state.hyperparameters,
            metrics: { ...input.evaluation },
            dataQuality: input.dataQuality,
            datasetFingerprint: run.fingerprint,
            artifactSha256,
            epochs: state.losses.map((loss, n) => ({
              epoch: n + 1,
              loss,
              seconds: state.epochSeconds[n] ?? 0,
            })),
            trainedAt: input.trainedAt,
            trainingSeconds: state.epochSeconds.reduce((sum, s) => sum + s, 0),
          },
          bytes,
        );
        return {
          version: record.version,
          status: record.status,
          artifactSha256: record.artifactSha256,
          datasetFingerprint: record.datasetFingerprint,
        };
      }),

    [Names.activities.deploy]: (input: {
      modelName: string;
      version: number;
      canaryPercent: number;
      candidateNdcg: number;
      productionNdcg: number | null;
    }) =>
      runActivity(async (): Promise<DeployOutcome> => {
        const reg = registry();
        const record = await reg.getVersion(input.modelName, input.version);
        if (!record)
          throw new PermanentError(`version ${input.version} is not registered`, 'VersionNotFound');
        const gate = record.metrics.deployGate as DeployOutcome | undefined;
        // Decided before (a retry): the decision stands, nothing is deployed twice.
        if (gate) return gate;
        const outcome = await decideAndDeploy(reg, input, deps.settings().deployNdcgTolerance);
        await reg.updateVersion(input.modelName, input.version, (v) => ({
          ...v,
          metrics: { ...v.metrics, deployGate: outcome },
        }));
        return outcome;
      }),

    [Names.activities.announce]: (input: {
      events: Array<{ eventType: ModelEventType; messageId: string; body: unknown }>;
    }) =>
      runActivity(async () => {
        for (const event of input.events)
          await deps.eventPublisher().publishModelEvent(event.eventType, event.messageId, event.body);
      }),
  };
}

function epochOf(state: TrainingState, epoch: number, from: number | null): EpochResult {
  return { epoch, loss: state.losses[epoch - 1]!, seconds: state.epochSeconds[epoch - 1]!, from };
}

/**
 * The deploy gate: the first version of a model has nothing to be compared with and becomes
 * production; a later one becomes the canary at `canaryPercent` when its NDCG@k on the holdout is
 * at least production's (on the same holdout) less the tolerance; otherwise it stays a candidate.
 */
async function decideAndDeploy(
  reg: ReturnType<typeof modelRegistry>,
  input: {
    modelName: string;
    version: number;
    canaryPercent: number;
    candidateNdcg: number;
    productionNdcg: number | null;
  },
  tolerance: number,
): Promise<DeployOutcome> {
  const routing = await reg.getRouting(input.modelName);
  if (routing.productionVersion === null || input.productionNdcg === null) {
    const reason = 'first version of the model: no production version to compare with';
    const figures = { candidateNdcg: input.candidateNdcg };
    await reg.deploy(input.modelName, input.version, 100, reason, figures);
    return { deployed: true, status: 'production', percent: 100, reason, figures };
  }
  const floor = input.productionNdcg * (1 - tolerance);
  const figures = {
    candidateNdcg: input.candidateNdcg,
    productionNdcg: input.productionNdcg,
    productionVersion: routing.productionVersion,
    tolerance,
    floor,
  };
  const pct = (x: number) => x.toFixed(4);
  if (input.candidateNdcg < floor) {
    const reason = `NDCG@k ${pct(input.candidateNdcg)} is below production's ${pct(input.productionNdcg)} less ${tolerance * 100} % (${pct(floor)})`;
    return { deployed: false, status: 'candidate', percent: 0, reason, figures };
  }
  const reason = `NDCG@k ${pct(input.candidateNdcg)} against production's ${pct(input.productionNdcg)} (floor ${pct(floor)})`;
  await reg.deploy(input.modelName, input.version, input.canaryPercent, reason, figures);
  return { deployed: true, status: 'canary', percent: input.canaryPercent, reason, figures };
}
