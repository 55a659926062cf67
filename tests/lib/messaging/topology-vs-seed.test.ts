/**
 * topology.json against the Service Bus production plan (../shared/seeds/service-bus-production-plan.ko.md),
 * property by property: the plan's YAML blocks for queues (§3) and topics with subscriptions (§4) are
 * read from the document itself, so a change to either side shows up here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { topology } from '../../../src/lib/messaging/topology';

const seedFile = path.resolve(__dirname, '../../../../shared/seeds/service-bus-production-plan.ko.md');
const seed = fs.readFileSync(seedFile, 'utf8');

type Block = Record<string, string>;

/** The `key: value` lines of a YAML block, comments and quotes stripped, nested keys flattened. */
function readBlock(yaml: string): Block {
  const values: Block = {};
  for (const line of yaml.split('\n')) {
    const match = /^\s*-?\s*([a-z_]+):\s*(.+?)\s*(?:#.*)?$/.exec(line);
    if (match && match[2] !== '') values[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1');
  }
  return values;
}

const yamlBlocks = [...seed.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
const queueBlocks = yamlBlocks.filter((b) => /^queue_name:/m.test(b)).map(readBlock);
const topicBlocks = yamlBlocks.filter((b) => /^topic_name:/m.test(b));

const bool = (text: string | undefined) => text === 'true';

describe('messaging topology against the Service Bus plan', () => {
  it('declares exactly the plan’s five queues and two topics', () => {
    expect(topology.queues.map((q) => q.name)).toEqual(queueBlocks.map((b) => b.queue_name));
    expect(topology.topics.map((t) => t.name)).toEqual(
      topicBlocks.map((b) => /^topic_name:\s*(\S+)/m.exec(b)![1]),
    );
    expect(queueBlocks).toHaveLength(5);
  });

  it.each(queueBlocks.map((b) => [b.queue_name!, b] as const))(
    'queue %s matches the plan property by property',
    (name, plan) => {
      const queue = topology.queues.find((q) => q.name === name)!;
      expect({
        maxSizeInMegabytes: queue.maxSizeInMegabytes,
        defaultMessageTimeToLive: queue.defaultMessageTimeToLive,
        lockDuration: queue.lockDuration,
        maxDeliveryCount: queue.maxDeliveryCount,
        deadLetteringOnMessageExpiration: queue.deadLetteringOnMessageExpiration,
        enablePartitioning: queue.enablePartitioning,
        requiresDuplicateDetection: queue.requiresDuplicateDetection,
        duplicateDetectionHistoryTimeWindow: queue.duplicateDetectionHistoryTimeWindow,
        requiresSession: queue.requiresSession,
      }).toEqual({
        maxSizeInMegabytes: Number(plan.max_size_in_megabytes),
        defaultMessageTimeToLive: plan.default_message_time_to_live,
        lockDuration: plan.lock_duration,
        maxDeliveryCount: Number(plan.max_delivery_count),
        deadLetteringOnMessageExpiration: bool(plan.dead_lettering_on_message_expiration),
        enablePartitioning: bool(plan.enable_partitioning),
        requiresDuplicateDetection: bool(plan.enable_duplicate_detection),
        duplicateDetectionHistoryTimeWindow: plan.duplicate_detection_history_time_window,
        requiresSession: bool(plan.enable_sessions),
      });
    },
  );

  it.each(topicBlocks.map((b) => [/^topic_name:\s*(\S+)/m.exec(b)![1]!, b] as const))(
    'topic %s and its subscriptions match the plan property by property',
    (name, block) => {
      const [topicPart, ...subscriptionParts] = block.split(/\n\s*- name: /);
      const plan = readBlock(topicPart!);
      const topic = topology.topics.find((t) => t.name === name)!;
      expect({
        maxSizeInMegabytes: topic.maxSizeInMegabytes,
        defaultMessageTimeToLive: topic.defaultMessageTimeToLive,
        enablePartitioning: topic.enablePartitioning,
        requiresDuplicateDetection: topic.requiresDuplicateDetection,
        duplicateDetectionHistoryTimeWindow: topic.duplicateDetectionHistoryTimeWindow,
      }).toEqual({
        maxSizeInMegabytes: Number(plan.max_size_in_megabytes),
        defaultMessageTimeToLive: plan.default_message_time_to_live,
        enablePartitioning: bool(plan.enable_partitioning),
        requiresDuplicateDetection: bool(plan.enable_duplicate_detection),
        duplicateDetectionHistoryTimeWindow: plan.duplicate_detection_history_time_window,
      });
      const planned: Block[] = subscriptionParts.map((part) => {
        const [subName, ...rest] = part.split('\n');
        return { name: subName!.trim(), ...readBlock(rest.join('\n')) };
      });
      expect(topic.subscriptions.map((s) => s.name)).toEqual(planned.map((p) => p.name));
      for (const subscription of topic.subscriptions) {
        const p = planned.find((x) => x.name === subscription.name)!;
        expect({
          lockDuration: subscription.lockDuration,
          maxDeliveryCount: subscription.maxDeliveryCount,
          deadLetteringOnMessageExpiration: subscription.deadLetteringOnMessageExpiration,
          sqlFilter: subscription.rule.sqlFilter,
        }).toEqual({
          lockDuration: p.lock_duration,
          maxDeliveryCount: Number(p.max_delivery_count),
          deadLetteringOnMessageExpiration: bool(p.dead_lettering_on_message_expiration),
          sqlFilter: p.filter,
        });
      }
    },
  );
});
