/**
 * topology.json against the Service Bus plan's queues (§3) and topics with subscriptions (§4), as
 * written down in requirements/seed-requirements.json, property by property. The one deliberate
 * difference is the lock: Azure takes at most PT5M, so a longer planned lock becomes PT5M plus a
 * renewal target (infra/README.md, decision 20), and this test asserts that decision.
 */
import hostJson from '../../../host.json';
import requirements from '../../../requirements/seed-requirements.json';
import { MAX_LOCK_DURATION, topology } from '../../../src/lib/messaging/topology';
import { isoDurationToMs } from '../../../src/lib/util/iso-duration';

const plan = requirements.serviceBus;
const maxLockMs = isoDurationToMs(MAX_LOCK_DURATION);
const timeSpanMs = (span: string) => {
  const [h, m, s] = span.split(':').map(Number) as [number, number, number];
  return ((h * 60 + m) * 60 + s) * 1000;
};

/** The lock Azure can take for a planned one: the plan's, or PT5M when the plan asks for more. */
const deployableLock = (planned: string) =>
  isoDurationToMs(planned) > maxLockMs ? MAX_LOCK_DURATION : planned;

describe('messaging topology against the Service Bus plan', () => {
  it('declares exactly the plan’s five queues and two topics', () => {
    expect(topology.queues.map((q) => q.name)).toEqual(plan.queues.map((q) => q.name));
    expect(topology.topics.map((t) => t.name)).toEqual(plan.topics.map((t) => t.name));
    expect(plan.queues).toHaveLength(5);
  });

  it.each(plan.queues.map((q) => [q.name, q] as const))(
    'queue %s matches the plan property by property (lock capped at PT5M)',
    (name, planned) => {
      const queue = topology.queues.find((q) => q.name === name)!;
      const { source: _source, ...expected } = planned;
      expect(queue).toEqual({ ...expected, lockDuration: deployableLock(planned.lockDuration) });
    },
  );

  it.each(plan.topics.map((t) => [t.name, t] as const))(
    'topic %s and its subscriptions match the plan property by property (locks capped at PT5M)',
    (name, planned) => {
      const topic = topology.topics.find((t) => t.name === name)!;
      const { source: _source, subscriptions, ...expected } = planned;
      expect({ ...topic, subscriptions: undefined }).toEqual({ ...expected, subscriptions: undefined });
      expect(
        topic.subscriptions.map((s) => ({
          name: s.name,
          lockDuration: s.lockDuration,
          maxDeliveryCount: s.maxDeliveryCount,
          deadLetteringOnMessageExpiration: s.deadLetteringOnMessageExpiration,
          sqlFilter: s.rule.sqlFilter,
        })),
      ).toEqual(subscriptions.map((s) => ({ ...s, lockDuration: deployableLock(s.lockDuration) })));
      expect(topic.subscriptions.every((s) => s.rule.name === '$Default')).toBe(true);
    },
  );

  it('keeps every lock within Azure’s PT5M ceiling', () => {
    const locks = [
      ...topology.queues.map((q) => q.lockDuration),
      ...topology.topics.flatMap((t) => t.subscriptions.map((s) => s.lockDuration)),
    ];
    expect(locks.filter((l) => isoDurationToMs(l) > maxLockMs)).toEqual([]);
  });

  it('turns each longer planned lock into a renewal target the host reaches (maxAutoLockRenewalDuration)', () => {
    const longer = plan.queues.filter((q) => isoDurationToMs(q.lockDuration) > maxLockMs);
    expect(longer.map((q) => [q.name, q.lockDuration])).toEqual([
      ['ai-trip-generation', 'PT30M'],
      ['ai-recommendation', 'PT10M'],
      ['ai-analysis', 'PT15M'],
      ['ai-model-training', 'PT2H'],
    ]);
    const renewal = timeSpanMs(hostJson.extensions.serviceBus.maxAutoLockRenewalDuration);
    for (const q of longer) expect(renewal).toBeGreaterThanOrEqual(isoDurationToMs(q.lockDuration));
  });
});
