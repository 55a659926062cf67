import type { ServiceBusClient, ServiceBusSender } from '@azure/service-bus';
import { TopicNames } from './topology';

export type AiEventType =
  | 'TripGenerated'
  | 'RecommendationReady'
  | 'PersonalizationUpdated'
  | 'PreferenceAnalyzed'
  | 'AnalysisCompleted'
  | 'BatchCompleted';

/** Events of the model lifecycle, on the ai-model-events topic (model-management, monitoring). */
export type ModelEventType = 'ModelTrained' | 'ModelDeployed';

/**
 * Announces results on the ai-events topic. Subscriptions filter on the application property
 * `EventType` (see topology.json); the message id is derived from the job, so the topic's duplicate
 * detection drops a repeat sent by a retried activity.
 */
export class EventPublisher {
  #sender: ServiceBusSender | undefined;
  #modelSender: ServiceBusSender | undefined;

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

  /**
   * Announces on ai-model-events. `messageId` is the caller's (one per decision: a retried activity
   * sends the same id and the topic's duplicate detection drops the repeat).
   */
  async publishModelEvent(eventType: ModelEventType, messageId: string, body: unknown): Promise<void> {
    this.#modelSender ??= this.client.createSender(TopicNames.modelEvents);
    await this.#modelSender.sendMessages({
      messageId,
      body,
      contentType: 'application/json',
      subject: eventType,
      applicationProperties: { EventType: eventType },
    });
  }

  async close(): Promise<void> {
    await this.#modelSender?.close();
    await this.#sender?.close();
  }
}

export function eventMessageId(eventType: AiEventType, jobId: string): string {
  return `${eventType}:${jobId}`;
}
