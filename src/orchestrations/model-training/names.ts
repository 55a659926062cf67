/** Function names of the model-training flow, shared by registrations, the orchestrator and tests. */
export const ModelTrainingNames = {
  orchestrator: 'modelTrainingOrchestrator',
  activities: {
    prepare: 'modelTrainingPrepareData',
    trainEpoch: 'modelTrainingTrainEpoch',
    evaluate: 'modelTrainingEvaluate',
    register: 'modelTrainingRegister',
    deploy: 'modelTrainingDeploy',
    announce: 'modelTrainingAnnounce',
  },
} as const;

/**
 * The steps of a training job as other services see them. `training` rises from 10 to 85 as epochs
 * finish, and its estimatedTime is measured: the mean epoch time so far times the epochs left, plus
 * the steps after it.
 */
export const MODEL_TRAINING_STEPS = [
  { step: 'preparing_data', progress: 2, estimatedTime: 120 },
  { step: 'checking_data_quality', progress: 8, estimatedTime: 60 },
  { step: 'training', progress: 10, estimatedTime: 60 },
  { step: 'evaluating', progress: 86, estimatedTime: 10 },
  { step: 'registering', progress: 92, estimatedTime: 5 },
  { step: 'deploying', progress: 95, estimatedTime: 3 },
  { step: 'announcing_result', progress: 98, estimatedTime: 1 },
] as const;

/** Progress at the start and end of the training step; epochs share the span between. */
export const TRAINING_PROGRESS = { from: 10, to: 85 } as const;
/** Seconds the steps after training are expected to take (part of the training ETA). */
export const AFTER_TRAINING_SECONDS = 20;
