import type { RecommendationRequest } from '../../lib/contracts/recommendation-request';
import { PermanentError } from '../../lib/errors/app-errors';
import type { EventPublisher } from '../../lib/messaging/event-publisher';
import type { RedisClient } from '../../lib/redis/client-factory';
import { Channels } from '../../lib/redis/keys';
import type { ModelServing } from '../../lib/recommendations/model-serving';
import {
  resolveList,
  serveList,
  UnknownDestinationError,
  type RecommendationList,
  type ResolvedList,
} from '../../lib/recommendations/recommendation-service';
import type { ActivityHandler } from '../kit/workflow-definition';
import { runActivity } from '../shared/activity-outcome';
import { RecommendationNames as Names } from './names';

export interface RecommendationActivityDeps {
  modelServing(): Promise<ModelServing>;
  redis(): Promise<RedisClient>;
  eventPublisher(): EventPublisher;
}

type ListRequest = Pick<RecommendationRequest, 'userId' | 'destination' | 'type' | 'k'>;

/**
 * The recommendation activities, each safe to retry: compute reads only; deliver stores the same list
 * under the same key, counts the impression once per recommendation id (the job's own) and publishes
 * (a repeat publish carries the same recommendation id, so subscribers can drop it); announce's
 * message id is derived from the job.
 */
export function createRecommendationActivities(
  deps: RecommendationActivityDeps,
): Record<string, ActivityHandler> {
  return {
    [Names.activities.compute]: (input: { request: ListRequest }) =>
      runActivity(async () => {
        try {
          return await resolveList((await deps.modelServing()).deps(), input.request, { store: false });
        } catch (error) {
          if (error instanceof UnknownDestinationError)
            throw new PermanentError(error.message, 'UnknownDestination');
          throw error;
        }
      }),
    [Names.activities.deliver]: (input: {
      jobId: string;
      request: ListRequest;
      resolved: ResolvedList;
      recommendationId: string;
    }) =>
      runActivity(async () => {
        const list = await serveList(
          (await deps.modelServing()).deps(),
          input.request,
          input.resolved,
          input.recommendationId,
        );
        const message = { jobId: input.jobId, ...list };
        await (await deps.redis()).publish(Channels.recommendations(list.userId), JSON.stringify(message));
        return list;
      }),
    [Names.activities.announce]: (input: { jobId: string; list: RecommendationList }) =>
      runActivity(async () => {
        const { list } = input;
        await deps.eventPublisher().publish('RecommendationReady', input.jobId, {
          jobId: input.jobId,
          userId: list.userId,
          destination: list.destination,
          type: list.type,
          recommendationId: list.recommendationId,
          modelName: list.modelName,
          modelVersion: list.modelVersion,
          variant: list.variant,
          items: list.items.map((item) => ({ placeId: item.placeId, score: item.score })),
          recommendationsUri: recommendationsUri(list),
        });
      }),
  };
}

export function recommendationsUri(request: Pick<ListRequest, 'userId' | 'destination' | 'type'>): string {
  const query = new URLSearchParams({ destination: request.destination, type: request.type });
  return `/api/users/${encodeURIComponent(request.userId)}/recommendations?${query.toString()}`;
}
