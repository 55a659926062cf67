import type { RedisClient } from '../../src/lib/redis/client-factory';

/** Polls `ready` every 10 ms until it returns a value other than undefined; fails after `timeoutMs`. */
async function pollUntil<T>(
  ready: () => T | undefined,
  timeoutMs: number,
  failure: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = ready();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((r) => setTimeout(r, 10));
  }
}

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
    waitFor(count: number, timeoutMs = 3000) {
      return pollUntil(
        () => (received.length >= count ? received : undefined),
        timeoutMs,
        () => `expected ${count} messages, got ${received.length}`,
      );
    },
    /** Waits until a message matching `predicate` has arrived; returns its index. */
    waitForMatch(predicate: (message: Record<string, unknown>) => boolean, timeoutMs = 3000) {
      return pollUntil(
        () => {
          const index = received.findIndex((entry) => predicate(entry.message));
          return index >= 0 ? index : undefined;
        },
        timeoutMs,
        () => 'expected message did not arrive',
      );
    },
    async stop() {
      subscriber.off('message', onMessage);
      await subscriber.unsubscribe(...channels);
    },
  };
}
