import {
  parseRecommendationRequest,
  RECOMMENDATION_REQUEST_SCHEMA_VERSION,
  type RecommendationRequest,
} from '../../lib/contracts/recommendation-request';
import { QueueNames } from '../../lib/messaging/topology';
import { sharedRedis } from '../../lib/redis/shared-clients';
import type { WorkflowDefinition } from '../kit/workflow-definition';
import { createRecommendationActivities, recommendationsUri } from './activities';
import { RECOMMENDATION_STEPS, RecommendationNames } from './names';
import { recommendationOrchestrator } from './orchestrator';

/**
 * Recommendation: one user's list for one destination, computed for another service, cached,
 * published on ai:recommendations:{userId} and announced as RecommendationReady. Not ordered (the
 * queue has no sessions): two lists of one user are independent reads.
 */
export const recommendationWorkflow: WorkflowDefinition<RecommendationRequest> = {
  name: 'recommendation',
  queue: QueueNames.recommendation,
  contract: { schemaVersion: RECOMMENDATION_REQUEST_SCHEMA_VERSION, parse: parseRecommendationRequest },
  orchestratorName: RecommendationNames.orchestrator,
  orchestrator: recommendationOrchestrator,
  activities: (services) =>
    createRecommendationActivities({
      modelServing: () => services().modelServing(),
      redis: async () => (await sharedRedis(services().settings)).client,
      eventPublisher: () => services().eventPublisher(),
    }),
  orderingKey: () => undefined,
  steps: RECOMMENDATION_STEPS,
  events: ['RecommendationReady'],
  queuedData: (request) => ({ destination: request.destination, type: request.type }),
  links: (request) => ({ recommendationsUri: recommendationsUri(request) }),
};
