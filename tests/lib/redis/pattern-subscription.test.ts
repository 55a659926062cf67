import type { ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { ChannelPatterns, Channels } from '../../../src/lib/redis/keys';
import { subscribeToPatterns } from '../../../src/lib/redis/pattern-subscription';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';
import { killPubSubConnections } from '../../rig/kill-connections';

const SUBSCRIBER_NAME = uniqueId('pattern-subscriber');

describe.each(REDIS_TARGETS)('pattern subscriptions on $name Redis', (target) => {
  let publisher: ManagedRedisClient;
  let subscriber: ManagedRedisClient;

  beforeAll(async () => {
    publisher = await target.connect();
    subscriber = await target.connect({ reconnectMaxDelayMs: 50 }, SUBSCRIBER_NAME);
  });
  afterAll(async () => {
    await Promise.all([publisher.close(), subscriber.close()]);
  });

  async function publishUntilReceived(received: unknown[], channel: string, payload: string, count: number) {
    const deadline = Date.now() + 5000;
    while (received.length < count) {
      if (Date.now() > deadline) throw new Error(`no message on ${channel} within 5 s`);
      await publisher.client.publish(channel, payload);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('receives every job channel of the guide by pattern and survives a reconnect', async () => {
    const received: Array<{ pattern: string; channel: string; payload: string }> = [];
    const subscription = await subscribeToPatterns(
      subscriber.client,
      [ChannelPatterns.jobStatus, ChannelPatterns.jobError, ChannelPatterns.recommendations],
      (m) => received.push(m),
    );
    const jobId = uniqueId('pattern');
    await publisher.client.publish(Channels.jobStatus(jobId), 'a');
    await publisher.client.publish(Channels.jobProgress(jobId), 'not subscribed');
    await publisher.client.publish(Channels.recommendations('user-7'), 'b');
    await publishUntilReceived(received, Channels.jobError(jobId), 'c', 3);
    await new Promise((r) => setTimeout(r, 100));
    // A cluster may deliver publishes made on different nodes in any order.
    expect(received).toHaveLength(3);
    expect(received).toEqual(
      expect.arrayContaining([
        { pattern: ChannelPatterns.jobStatus, channel: Channels.jobStatus(jobId), payload: 'a' },
        {
          pattern: ChannelPatterns.recommendations,
          channel: Channels.recommendations('user-7'),
          payload: 'b',
        },
        { pattern: ChannelPatterns.jobError, channel: Channels.jobError(jobId), payload: 'c' },
      ]),
    );

    expect(await killPubSubConnections(publisher, SUBSCRIBER_NAME)).toBeGreaterThan(0);
    received.length = 0;
    await publishUntilReceived(received, Channels.jobStatus(jobId), 'after-reconnect', 1);
    expect(received[0]).toMatchObject({ channel: Channels.jobStatus(jobId), payload: 'after-reconnect' });
    await subscription.close();
  });
});
