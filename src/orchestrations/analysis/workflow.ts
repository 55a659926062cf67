import {
  ANALYSIS_REQUEST_SCHEMA_VERSION,
  parseAnalysisRequest,
  type AnalysisRequest,
} from '../../lib/contracts/analysis-request';
import { QueueNames } from '../../lib/messaging/topology';
import type { WorkflowDefinition } from '../kit/workflow-definition';
import { createAnalysisActivities } from './activities';
import { ANALYSIS_STEPS, AnalysisNames } from './names';
import { analysisOrchestrator } from './orchestrator';

/** Analysis: a user's preference profile from the interaction log, or a quality report of a trip; ordered per user. */
export const analysisWorkflow: WorkflowDefinition<AnalysisRequest> = {
  name: 'analysis',
  queue: QueueNames.analysis,
  contract: { schemaVersion: ANALYSIS_REQUEST_SCHEMA_VERSION, parse: parseAnalysisRequest },
  orchestratorName: AnalysisNames.orchestrator,
  orchestrator: analysisOrchestrator,
  activities: (services) =>
    createAnalysisActivities({
      blobService: () => services().blobService(),
      profileStore: () => services().profileStore(),
      scheduleCache: () => services().scheduleCache(),
      eventPublisher: () => services().eventPublisher(),
    }),
  orderingKey: (request) => request.userId,
  steps: ANALYSIS_STEPS,
  events: ['PreferenceAnalyzed', 'PersonalizationUpdated', 'AnalysisCompleted'],
  queuedData: (request) => ({ analysisType: request.analysisType }),
  links: (request): Record<string, string> =>
    request.analysisType === 'preferences'
      ? { profileUri: `/api/users/${encodeURIComponent(request.userId)}/profile` }
      : {},
};
