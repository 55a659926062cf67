import type { MessagingTopology } from '../../../src/lib/messaging/topology';
import { isoDurationToMs } from '../../../src/lib/util/iso-duration';
import { compileSqlFilter, type SqlFilter } from './sql-filter';

/**
 * The emulator's view of the topology: every setting is read from the topology passed in (the app's
 * topology.json, ARM property names), never re-typed here.
 */

/** Settings of something a receiver reads from: a queue or a topic subscription. */
export interface ReceivableSettings {
  /** Entity path as Service Bus names it: `queue` or `topic/Subscriptions/subscription`. */
  path: string;
  lockDurationMs: number;
  maxDeliveryCount: number;
  deadLetteringOnMessageExpiration: boolean;
  requiresSession: boolean;
  defaultTimeToLiveMs: number;
}

/** Something a sender writes to: a queue (one destination) or a topic (its filtered subscriptions). */
export interface SendTarget {
  name: string;
  kind: 'queue' | 'topic';
  defaultTimeToLiveMs: number;
  /** Undefined when duplicate detection is off. */
  duplicateDetectionWindowMs?: number;
  destinations: { settings: ReceivableSettings; filter: SqlFilter }[];
}

export const subscriptionPath = (topic: string, subscription: string) =>
  `${topic}/Subscriptions/${subscription}`;

const acceptAll: SqlFilter = () => true;

export function sendTargets(topology: MessagingTopology): SendTarget[] {
  const queues = topology.queues.map((q): SendTarget => {
    const ttl = isoDurationToMs(q.defaultMessageTimeToLive);
    return {
      name: q.name,
      kind: 'queue',
      defaultTimeToLiveMs: ttl,
      duplicateDetectionWindowMs: duplicateWindow(q),
      destinations: [
        {
          filter: acceptAll,
          settings: {
            path: q.name,
            lockDurationMs: isoDurationToMs(q.lockDuration),
            maxDeliveryCount: q.maxDeliveryCount,
            deadLetteringOnMessageExpiration: q.deadLetteringOnMessageExpiration,
            requiresSession: q.requiresSession,
            defaultTimeToLiveMs: ttl,
          },
        },
      ],
    };
  });
  const topics = topology.topics.map((t): SendTarget => {
    const ttl = isoDurationToMs(t.defaultMessageTimeToLive);
    return {
      name: t.name,
      kind: 'topic',
      defaultTimeToLiveMs: ttl,
      duplicateDetectionWindowMs: duplicateWindow(t),
      destinations: t.subscriptions.map((s) => ({
        filter: compileSqlFilter(s.rule.sqlFilter),
        settings: {
          path: subscriptionPath(t.name, s.name),
          lockDurationMs: isoDurationToMs(s.lockDuration),
          maxDeliveryCount: s.maxDeliveryCount,
          deadLetteringOnMessageExpiration: s.deadLetteringOnMessageExpiration,
          // The topology declares no session-enabled subscription; honour one if it ever does.
          requiresSession: (s as { requiresSession?: boolean }).requiresSession ?? false,
          defaultTimeToLiveMs: ttl,
        },
      })),
    };
  });
  return [...queues, ...topics];
}

function duplicateWindow(entity: {
  requiresDuplicateDetection: boolean;
  duplicateDetectionHistoryTimeWindow?: string;
}): number | undefined {
  if (!entity.requiresDuplicateDetection) return undefined;
  // Service Bus's default history window is 10 minutes.
  return isoDurationToMs(entity.duplicateDetectionHistoryTimeWindow ?? 'PT10M');
}
