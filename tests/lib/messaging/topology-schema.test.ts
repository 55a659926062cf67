import rawTopology from '../../../src/lib/messaging/topology.json';
import { parseTopology } from '../../../src/lib/messaging/topology';

/** topology.json with one queue's or subscription's lock changed. */
function withLock(where: 'queue' | 'subscription', lockDuration: string): unknown {
  const copy = structuredClone(rawTopology);
  if (where === 'queue') copy.queues[3]!.lockDuration = lockDuration;
  else copy.topics[1]!.subscriptions[0]!.lockDuration = lockDuration;
  return copy;
}

describe('topology schema', () => {
  it('accepts the real topology.json', () => {
    expect(() => parseTopology(rawTopology)).not.toThrow();
  });

  it('accepts a lock of exactly PT5M', () => {
    expect(() => parseTopology(withLock('queue', 'PT5M'))).not.toThrow();
    expect(() => parseTopology(withLock('queue', 'PT300S'))).not.toThrow();
  });

  it('refuses a queue lock above PT5M, naming the queue', () => {
    expect(() => parseTopology(withLock('queue', 'PT2H'))).toThrow(
      /queues\.3\.lockDuration: queue ai-model-training: lockDuration PT2H is above PT5M/,
    );
    expect(() => parseTopology(withLock('queue', 'PT5M1S'))).toThrow(/queue ai-model-training/);
  });

  it('refuses a subscription lock above PT5M, naming topic and subscription', () => {
    expect(() => parseTopology(withLock('subscription', 'PT10M'))).toThrow(
      /subscription ai-model-events\/model-management-subscription: lockDuration PT10M is above PT5M/,
    );
  });

  it('still reports a malformed duration by its path', () => {
    expect(() => parseTopology(withLock('queue', '30 minutes'))).toThrow(
      /queues\.3\.lockDuration: must be an ISO 8601 duration/,
    );
  });
});
