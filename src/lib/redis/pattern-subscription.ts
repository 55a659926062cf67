import type { RedisClient } from './client-factory';

export type PatternHandler = (message: { pattern: string; channel: string; payload: string }) => void;

/**
 * Pattern subscriptions (ai:job:status:* and the like) on a subscriber connection. ioredis
 * re-subscribes every pattern after a reconnect (autoResubscribe), on standalone and cluster clients.
 */
export async function subscribeToPatterns(
  subscriber: RedisClient,
  patterns: string[],
  handler: PatternHandler,
): Promise<{ close(): Promise<void> }> {
  const wanted = new Set(patterns);
  const onMessage = (pattern: string, channel: string, payload: string) => {
    if (wanted.has(pattern)) handler({ pattern, channel, payload });
  };
  subscriber.on('pmessage', onMessage);
  await subscriber.psubscribe(...patterns);
  return {
    async close() {
      subscriber.off('pmessage', onMessage);
      await subscriber.punsubscribe(...patterns).catch(() => undefined);
    },
  };
}
