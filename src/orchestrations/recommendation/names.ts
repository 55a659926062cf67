/** Function names of the recommendation flow, shared by registrations, the orchestrator and tests. */
export const RecommendationNames = {
  orchestrator: 'recommendationOrchestrator',
  activities: {
    compute: 'recommendationCompute',
    deliver: 'recommendationDeliver',
    announce: 'recommendationAnnounce',
  },
} as const;

/** The steps of a recommendation job as other services see them. */
export const RECOMMENDATION_STEPS = [
  { step: 'computing', progress: 20, estimatedTime: 3 },
  { step: 'delivering', progress: 70, estimatedTime: 1 },
  { step: 'announcing_result', progress: 95, estimatedTime: 1 },
] as const;
