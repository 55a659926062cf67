import type { ModelTrainingRequest } from '../../lib/contracts/model-training-request';
import { resolveHyperparameters } from '../../lib/models/hyperparameters';
import { JobFailure } from '../shared/activity-outcome';
import { jobOrchestration } from '../kit/job-orchestration';
import type { HoldoutComparison } from '../../lib/models/holdout-evaluation';
import type { PreparedDataset } from '../../lib/models/dataset-preparation';
import type { DeployOutcome, EpochResult, RegisteredVersion } from './activities';
import { AFTER_TRAINING_SECONDS, ModelTrainingNames as Names, TRAINING_PROGRESS } from './names';
import { modelTrainingWorkflow } from './workflow';

/**
 * prepare the dataset (frozen in Blob) and gate it on data quality → train, one epoch per activity,
 * each ending with a checkpoint in Blob (a killed host resumes from the last one) → evaluate on the
 * holdout beside popularity and production → commit → register the version → deploy (optional:
 * gate on NDCG, canary) → ModelTrained (+ ModelDeployed) on ai-model-events. Jobs of one model run
 * one at a time (ordering key modelName), so two trainings never race on a model's registry.
 */
export const modelTrainingOrchestrator = jobOrchestration<ModelTrainingRequest>(
  () => modelTrainingWorkflow,
  function* (job) {
    const { request } = job.input;
    const { activities } = Names;
    const { modelName, jobId } = { modelName: request.modelName, jobId: job.jobId };
    const hyperparameters = resolveHyperparameters(request.hyperparameters);

    yield* job.enter('preparing_data');
    const prepared = yield* job.run<PreparedDataset>(activities.prepare, {
      jobId,
      modelName,
      dataset: request.dataset,
    });
    yield* job.enter('checking_data_quality', undefined, {
      dataQuality: prepared.report,
      dataQualityUri: prepared.reportUri,
    });
    if (!prepared.passed) {
      throw new JobFailure(
        'DataQualityFailed',
        `${prepared.report.reasons.join('; ')} (report: ${prepared.reportUri})`,
      );
    }

    const epochs: EpochResult[] = [];
    let reached = 0;
    while (reached < hyperparameters.epochs) {
      const result = yield* job.run<EpochResult>(activities.trainEpoch, {
        jobId,
        modelName,
        targetEpoch: reached + 1,
        hyperparameters,
      });
      reached = result.epoch;
      epochs.push(result);
      yield* job.checkpoint(trainingProgress(epochs, reached, hyperparameters.epochs));
    }

    yield* job.enter('evaluating');
    const evaluation = yield* job.run<HoldoutComparison>(activities.evaluate, {
      jobId,
      modelName,
      k: request.evaluation.k,
    });

    yield* job.enter('registering');
    yield* job.commit();
    const registered = yield* job.run<RegisteredVersion>(activities.register, {
      jobId,
      modelName,
      evaluation,
      dataQuality: prepared.report,
      trainedAt: job.context.df.currentUtcDateTime.toISOString(),
    });

    let deployment: DeployOutcome | undefined;
    if (request.deploy) {
      yield* job.enter('deploying');
      deployment = yield* job.run<DeployOutcome>(activities.deploy, {
        modelName,
        version: registered.version,
        canaryPercent: request.deploy.canaryPercent,
        candidateNdcg: evaluation.candidate.ndcg,
        productionNdcg: evaluation.production?.ndcg ?? null,
      });
    }

    yield* job.enter('announcing_result');
    const summary = {
      jobId,
      modelName,
      version: registered.version,
      algorithm: hyperparameters.algorithm,
      artifactSha256: registered.artifactSha256,
      datasetFingerprint: registered.datasetFingerprint,
      registryUri: `/api/models/${modelName}`,
    };
    const events = [
      {
        eventType: 'ModelTrained' as const,
        messageId: `ModelTrained:${jobId}`,
        body: {
          ...summary,
          status: deployment?.deployed ? deployment.status : 'candidate',
          metrics: evaluation,
        },
      },
      ...(deployment?.deployed
        ? [
            {
              eventType: 'ModelDeployed' as const,
              messageId: `ModelDeployed:${jobId}`,
              body: {
                ...summary,
                action: 'deploy',
                status: deployment.status,
                percent: deployment.percent,
                reason: deployment.reason,
                figures: deployment.figures,
              },
            },
          ]
        : []),
    ];
    yield* job.run(activities.announce, { events });
    return {
      result: {
        ...summary,
        evaluation,
        dataQualityUri: prepared.reportUri,
        epochs,
        deployment: deployment ?? null,
      },
      data: {
        modelName,
        version: registered.version,
        artifactSha256: registered.artifactSha256,
        ndcg: evaluation.candidate.ndcg,
        deployed: deployment?.deployed ?? false,
      },
    };
  },
);

/**
 * The checkpoint after an epoch: progress across the training span, and the time left measured from
 * this job's own epochs (mean epoch seconds x epochs left, plus the steps after training).
 */
function trainingProgress(done: EpochResult[], reached: number, total: number) {
  const mean = done.reduce((sum, e) => sum + e.seconds, 0) / Math.max(1, done.length);
  const last = done[done.length - 1]!;
  const span = TRAINING_PROGRESS.to - TRAINING_PROGRESS.from;
  return {
    status: 'processing' as const,
    step: 'training',
    progress: Math.floor(TRAINING_PROGRESS.from + (span * reached) / total),
    estimatedTime: Math.ceil(mean * (total - reached) + AFTER_TRAINING_SECONDS),
    data: { epoch: reached, epochs: total, loss: last.loss, epochSeconds: last.seconds },
  };
}
