/** Function names of the analysis flow, shared by registrations, the orchestrator and tests. */
export const AnalysisNames = {
  orchestrator: 'analysisOrchestrator',
  activities: {
    buildProfile: 'analysisBuildProfile',
    saveProfile: 'analysisSaveProfile',
    tripReport: 'analysisTripReport',
    announce: 'analysisAnnounce',
  },
} as const;

/** The steps of an analysis job as other services see them. */
export const ANALYSIS_STEPS = [
  { step: 'reading_interactions', progress: 10, estimatedTime: 20 },
  { step: 'reading_schedule', progress: 10, estimatedTime: 5 },
  { step: 'analysing', progress: 60, estimatedTime: 5 },
  { step: 'storing_profile', progress: 80, estimatedTime: 3 },
  { step: 'announcing_result', progress: 95, estimatedTime: 1 },
] as const;
