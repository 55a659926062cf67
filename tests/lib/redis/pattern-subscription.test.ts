import Redis from 'ioredis';
import { masterNodes, type ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { ChannelPatterns, Channels } from '../../../src/lib/redis/keys';
import { subscribeToPatterns } from '../../../src/lib/redis/pattern-subscription';
import { startRedisServer, type RedisProcessHandle } from '../../../tools/redis/redis-process';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';
import { killPubSubConnections } from '../../rig/kill-connections';

type Received = { pattern: string; channel: string; payload: string };

/**
 * Other test files publish on the guide's channels of the same shared servers at the same time, and
 * Pub/Sub has no databases to separate them. So on the shared rig these tests subscribe to the guide's
 * patterns narrowed to ids of their own (`ai:job:status:<prefix>*`), and the guide's exact patterns are
 * checked on a redis-server of this file's own. "Nothing else arrives" is proven by a marker published
 * last through the same node: Pub/Sub delivers one node's messages in order.
 */
function ownPatterns(prefix: string) {
  const narrow = (pattern: string) => {
    expect(pattern.endsWith('*')).toBe(true);
    return `${pattern.slice(0, -1)}${prefix}*`;
  };
  return {
    jobStatus: narrow(ChannelPatterns.jobStatus),
    jobError: narrow(ChannelPatterns.jobError),
    recommendations: narrow(ChannelPatterns.recommendations),
  };
}

async function waitUntil(done: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Publishes the sample messages and then a marker, all through one node; returns once the marker is in. */
async function publishWithMarker(
  node: Redis,
  received: Received[],
  jobId: string,
  userId: string,
  markerChannel: string,
) {
  await node.publish(Channels.jobStatus(jobId), 'a');
  await node.publish(Channels.jobProgress(jobId), 'not subscribed');
  await node.publish(Channels.recommendations(userId), 'b');
  await node.publish(Channels.jobError(jobId), 'c');
  await node.publish(markerChannel, 'marker');
  await waitUntil(() => received.some((m) => m.payload === 'marker'), 'the marker did not arrive');
}

function expectExactly(
  received: Received[],
  patterns: ReturnType<typeof ownPatterns>,
  jobId: string,
  userId: string,
) {
  expect(received).toEqual([
    { pattern: patterns.jobStatus, channel: Channels.jobStatus(jobId), payload: 'a' },
    { pattern: patterns.recommendations, channel: Channels.recommendations(userId), payload: 'b' },
    { pattern: patterns.jobError, channel: Channels.jobError(jobId), payload: 'c' },
    { pattern: patterns.jobStatus, channel: Channels.jobStatus(`${jobId}-marker`), payload: 'marker' },
  ]);
}

describe.each(REDIS_TARGETS)('pattern subscriptions on $name Redis', (target) => {
  const subscriberName = uniqueId(`pattern-subscriber-${target.name}`);
  let publisher: ManagedRedisClient;
  let subscriber: ManagedRedisClient;

  beforeAll(async () => {
    publisher = await target.connect();
    subscriber = await target.connect({ reconnectMaxDelayMs: 50 }, subscriberName);
  });
  afterAll(async () => {
    await Promise.all([publisher.close(), subscriber.close()]);
  });

  it('receives exactly the messages of its patterns, in order, and again after a reconnect', async () => {
    const prefix = uniqueId('pt');
    const patterns = ownPatterns(prefix);
    const received: Received[] = [];
    const subscription = await subscribeToPatterns(subscriber.client, Object.values(patterns), (m) =>
      received.push(m),
    );
    const jobId = `${prefix}-job`;
    const userId = `${prefix}-user`;
    const node = masterNodes(publisher.client)[0]!;
    await publishWithMarker(node, received, jobId, userId, Channels.jobStatus(`${jobId}-marker`));
    expectExactly(received, patterns, jobId, userId);

    expect(await killPubSubConnections(publisher, subscriberName)).toBeGreaterThan(0);
    received.length = 0;
    // Until ioredis has re-subscribed, publishes are lost: publish until one arrives.
    const deadline = Date.now() + 5000;
    const afterReconnect = () => received.find((m) => m.payload === 'after-reconnect');
    // A message published just before the kill may still be delivered late on the cluster bus: the
    // property here is that the subscription works again, so wait for our own message.
    while (!afterReconnect()) {
      if (Date.now() > deadline) throw new Error('no message after the reconnect within 5 s');
      await node.publish(Channels.jobStatus(jobId), 'after-reconnect');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(afterReconnect()).toEqual({
      pattern: patterns.jobStatus,
      channel: Channels.jobStatus(jobId),
      payload: 'after-reconnect',
    });
    await subscription.close();
  });
});

describe("the guide's exact patterns on a redis-server of this file's own", () => {
  let server: RedisProcessHandle;
  let publisher: Redis;
  let subscriber: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    publisher = new Redis(server.url);
    subscriber = new Redis(server.url);
  });
  afterAll(async () => {
    publisher.disconnect();
    subscriber.disconnect();
    await server.stop();
  });

  it('delivers every job channel of the guide by pattern and nothing it did not ask for', async () => {
    const received: Received[] = [];
    const subscription = await subscribeToPatterns(
      subscriber,
      [ChannelPatterns.jobStatus, ChannelPatterns.jobError, ChannelPatterns.recommendations],
      (m) => received.push(m),
    );
    const guide = {
      jobStatus: ChannelPatterns.jobStatus,
      jobError: ChannelPatterns.jobError,
      recommendations: ChannelPatterns.recommendations,
    };
    await publishWithMarker(publisher, received, 'job-1', 'user-7', Channels.jobStatus('job-1-marker'));
    expectExactly(received, guide, 'job-1', 'user-7');
    await subscription.close();
  });
});
