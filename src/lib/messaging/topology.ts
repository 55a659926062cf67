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

/** Azure's ceiling for a queue's or subscription's lock ("The maximum value for LockDuration is 5 minutes"). */
export const MAX_LOCK_DURATION = 'PT5M';
const maxLockMs = isoDurationToMs(MAX_LOCK_DURATION);

/** A lock above Azure's ceiling, named by entity: ARM would refuse the whole deployment for it. */
function lockTooLong(entity: string, lockDuration: string): string | undefined {
  let ms: number;
  try {
    ms = isoDurationToMs(lockDuration);
  } catch {
    return undefined; // the field's own rule reports it
  }
  return ms > maxLockMs
    ? `${entity}: lockDuration ${lockDuration} is above ${MAX_LOCK_DURATION}, the most Service Bus accepts; ` +
        'keep the lock at PT5M and let the trigger renew it (host.json maxAutoLockRenewalDuration)'
    : undefined;
}

const topologySchema = z
  .object({
    queues: z.array(queueSchema),
    topics: z.array(topicSchema),
  })
  .superRefine((value, ctx) => {
    value.queues.forEach((queue, i) => {
      const message = lockTooLong(`queue ${queue.name}`, queue.lockDuration);
      if (message) ctx.addIssue({ code: 'custom', path: ['queues', i, 'lockDuration'], message });
    });
    value.topics.forEach((topic, t) =>
      topic.subscriptions.forEach((subscription, s) => {
        const entity = `subscription ${topic.name}/${subscription.name}`;
        const message = lockTooLong(entity, subscription.lockDuration);
        const path = ['topics', t, 'subscriptions', s, 'lockDuration'];
        if (message) ctx.addIssue({ code: 'custom', path, message });
      }),
    );
  });

export type QueueDefinition = z.infer<typeof queueSchema>;
export type TopicDefinition = z.infer<typeof topicSchema>;
export type SubscriptionDefinition = z.infer<typeof subscriptionSchema>;
export type MessagingTopology = z.infer<typeof topologySchema>;

/** Validates a topology document; every problem is listed by path, lock ceilings by entity name. */
export function parseTopology(raw: unknown): MessagingTopology {
  const result = topologySchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new Error(`src/lib/messaging/topology.json is invalid:\n  ${problems.join('\n  ')}`);
}

export const topology: MessagingTopology = parseTopology(rawTopology);

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
