import {
  MODEL_TRAINING_SCHEMA_VERSION,
  parseModelTrainingRequest,
  type ModelTrainingRequest,
} from '../../lib/contracts/model-training-request';
import { QueueNames } from '../../lib/messaging/topology';
import { blobAccess } from '../../lib/config/blob-access';
import type { WorkflowDefinition } from '../kit/workflow-definition';
import { createModelTrainingActivities } from './activities';
import { MODEL_TRAINING_STEPS, ModelTrainingNames } from './names';
import { modelTrainingOrchestrator } from './orchestrator';

/**
 * Model training: the recommendation model from the interaction log (or a blob of JSON lines),
 * gated on data quality, trained one epoch per activity with a checkpoint after each, evaluated,
 * registered in Blob, optionally deployed as the canary; ordered per model (the queue's session).
 */
export const modelTrainingWorkflow: WorkflowDefinition<ModelTrainingRequest> = {
  name: 'model-training',
  queue: QueueNames.modelTraining,
  contract: { schemaVersion: MODEL_TRAINING_SCHEMA_VERSION, parse: parseModelTrainingRequest },
  orchestratorName: ModelTrainingNames.orchestrator,
  orchestrator: modelTrainingOrchestrator,
  activities: (services) =>
    createModelTrainingActivities({
      blobService: () => services().blobService(),
      blobAccess: () => blobAccess(services().settings),
      workerPool: () => services().modelWorkerPool(),
      settings: () => services().settings.modelTraining,
      eventPublisher: () => services().eventPublisher(),
    }),
  orderingKey: (request) => request.modelName,
  maxProcessingTimeMs: (settings) => settings.modelTraining.maxProcessingTimeMs,
  steps: MODEL_TRAINING_STEPS,
  events: ['ModelTrained', 'ModelDeployed'],
  queuedData: (request) => ({ modelName: request.modelName }),
  links: (request): Record<string, string> => ({ modelUri: `/api/models/${request.modelName}` }),
};
