import type { ServiceBusClient, ServiceBusSender } from '@azure/service-bus';
import { TopicNames } from './topology';

export type AiEventType =
  | 'TripGenerated'
  | 'RecommendationReady'
  | 'PersonalizationUpdated'
  | 'PreferenceAnalyzed'
  | 'AnalysisCompleted'
  | 'BatchCompleted';

/**
 * Announces results on the ai-events topic. Subscriptions filter on the application property
 * `EventType` (see topology.json); the message id is derived from the job, so the topic's duplicate
 * detection drops a repeat sent by a retried activity.
 */
export class EventPublisher {
  #sender: ServiceBusSender | undefined;

  constructor(private readonly client: ServiceBusClient) {}

  async publish(eventType: AiEventType, jobId: string, body: unknown): Promise<void> {
    this.#sender ??= this.client.createSender(TopicNames.aiEvents);
    await this.#sender.sendMessages({
      messageId: eventMessageId(eventType, jobId),
      body,
      contentType: 'application/json',
      subject: eventType,
      applicationProperties: { EventType: eventType },
    });
  }

  async close(): Promise<void> {
    await this.#sender?.close();
  }
}

export function eventMessageId(eventType: AiEventType, jobId: string): string {
  return `${eventType}:${jobId}`;
}
