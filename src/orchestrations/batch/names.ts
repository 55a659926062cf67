/** Function names of the batch flow, shared by registrations, the orchestrators and tests. */
export const BatchNames = {
  orchestrator: 'batchOrchestrator',
  chunkOrchestrator: 'batchChunkOrchestrator',
  activities: {
    stage: 'batchStageItems',
    runChunk: 'batchRunChunk',
    commitResults: 'batchCommitResults',
    announce: 'batchAnnounce',
  },
} as const;

/** The steps of a batch job as other services see them; `processing_items` rises as chunks finish. */
export const BATCH_STEPS = [
  { step: 'reading_items', progress: 5, estimatedTime: 60 },
  { step: 'processing_items', progress: 10, estimatedTime: 50 },
  { step: 'writing_results', progress: 95, estimatedTime: 3 },
  { step: 'announcing_result', progress: 98, estimatedTime: 1 },
] as const;
