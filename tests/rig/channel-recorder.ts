import type { RedisClient } from '../../src/lib/redis/client-factory';

/** Records every message on some channels, for asserting what a checkpoint published. */
export async function recordChannels(subscriber: RedisClient, channels: string[]) {
  const received: Array<{ channel: string; message: Record<string, unknown> }> = [];
  const onMessage = (channel: string, raw: string) => {
    if (channels.includes(channel))
      received.push({ channel, message: JSON.parse(raw) as Record<string, unknown> });
  };
  subscriber.on('message', onMessage);
  await subscriber.subscribe(...channels);
  return {
    received,
    /** Waits until `count` messages have arrived (Pub/Sub delivery is asynchronous to the publisher). */
    async waitFor(count: number, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return received;
    },
    /** Waits until a message matching `predicate` has arrived; returns its index. */
    async waitForMatch(predicate: (message: Record<string, unknown>) => boolean, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = received.findIndex((entry) => predicate(entry.message));
        if (index >= 0) return index;
        if (Date.now() > deadline) throw new Error('expected message did not arrive');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async stop() {
      subscriber.off('message', onMessage);
      await subscriber.unsubscribe(...channels);
    },
  };
}
