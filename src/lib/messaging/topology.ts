import { z } from 'zod';
import rawTopology from './topology.json';
import { isoDurationToMs } from '../util/iso-duration';

/**
 * The Service Bus entities this service owns. The data lives in topology.json (read by Bicep with
 * loadJsonContent, by the local host, and by tests); this module only validates it and gives it types.
 */
const isoDuration = z.string().refine((v) => {
  try {
    isoDurationToMs(v);
    return true;
  } catch {
    return false;
  }
}, 'must be an ISO 8601 duration such as PT30M');

const entityBase = {
  name: z.string().regex(/^[a-z0-9][a-z0-9.\-_]{0,259}$/),
  maxSizeInMegabytes: z.number().int().positive(),
  defaultMessageTimeToLive: isoDuration,
  enablePartitioning: z.boolean(),
  requiresDuplicateDetection: z.boolean(),
  duplicateDetectionHistoryTimeWindow: isoDuration.optional(),
};

const queueSchema = z.object({
  ...entityBase,
  lockDuration: isoDuration,
  maxDeliveryCount: z.number().int().min(1),
  deadLetteringOnMessageExpiration: z.boolean(),
  requiresSession: z.boolean(),
});

const subscriptionSchema = z.object({
  name: z.string().min(1).max(50),
  lockDuration: isoDuration,
  maxDeliveryCount: z.number().int().min(1),
  deadLetteringOnMessageExpiration: z.boolean(),
  rule: z.object({ name: z.string().min(1), sqlFilter: z.string().min(1) }),
});

const topicSchema = z.object({ ...entityBase, subscriptions: z.array(subscriptionSchema).min(1) });

const topologySchema = z.object({
  queues: z.array(queueSchema),
  topics: z.array(topicSchema),
});

export type QueueDefinition = z.infer<typeof queueSchema>;
export type TopicDefinition = z.infer<typeof topicSchema>;
export type SubscriptionDefinition = z.infer<typeof subscriptionSchema>;
export type MessagingTopology = z.infer<typeof topologySchema>;

export const topology: MessagingTopology = topologySchema.parse(rawTopology);

/** Queue names as constants, so no trigger or sender spells one by hand. */
export const QueueNames = {
  tripGeneration: 'ai-trip-generation',
  recommendation: 'ai-recommendation',
  analysis: 'ai-analysis',
  modelTraining: 'ai-model-training',
  batchProcessing: 'ai-batch-processing',
} as const;

export const TopicNames = {
  aiEvents: 'ai-events',
  modelEvents: 'ai-model-events',
} as const;

export function queueDefinition(name: string): QueueDefinition {
  const queue = topology.queues.find((q) => q.name === name);
  if (!queue) throw new Error(`Queue "${name}" is not declared in src/lib/messaging/topology.json`);
  return queue;
}

export function topicDefinition(name: string): TopicDefinition {
  const topic = topology.topics.find((t) => t.name === name);
  if (!topic) throw new Error(`Topic "${name}" is not declared in src/lib/messaging/topology.json`);
  return topic;
}

// Fail at load if the constants and the data file drift apart.
for (const name of Object.values(QueueNames)) queueDefinition(name);
for (const name of Object.values(TopicNames)) topicDefinition(name);
