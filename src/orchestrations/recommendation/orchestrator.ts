import type { RecommendationRequest } from '../../lib/contracts/recommendation-request';
import { RECOMMENDATION_MODELS } from '../../lib/contracts/recommendation-request';
import { newRecommendationId } from '../../lib/recommendations/feedback-settings';
import type { RecommendationList, ResolvedList } from '../../lib/recommendations/recommendation-service';
import { jobOrchestration } from '../kit/job-orchestration';
import { RecommendationNames as Names } from './names';
import { recommendationWorkflow } from './workflow';

/**
 * compute the list (cache or model, as GET /api/users/{userId}/recommendations does) → commit →
 * deliver (cache it 2 h, count the impression, publish on ai:recommendations:{userId}) → announce
 * RecommendationReady on ai-events. The recommendation id comes from the job id, so a replayed or
 * retried delivery is one list, counted once.
 */
export const recommendationOrchestrator = jobOrchestration<RecommendationRequest>(
  () => recommendationWorkflow,
  function* (job) {
    const { userId, destination, type, k } = job.input.request;
    const request = { userId, destination, type, k };
    const { activities } = Names;
    yield* job.enter('computing');
    const resolved = yield* job.run<ResolvedList>(activities.compute, { request });
    yield* job.commit();
    yield* job.enter('delivering');
    const recommendationId = newRecommendationId(RECOMMENDATION_MODELS[type], job.jobId);
    const list = yield* job.run<RecommendationList>(activities.deliver, {
      jobId: job.jobId,
      request,
      resolved,
      recommendationId,
    });
    yield* job.enter('announcing_result');
    yield* job.run(activities.announce, { jobId: job.jobId, list });
    return {
      result: list,
      data: {
        recommendationId,
        modelName: list.modelName,
        modelVersion: list.modelVersion,
        variant: list.variant,
        items: list.items.length,
      },
    };
  },
);
