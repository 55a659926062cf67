import type { RedisClient } from './client-factory';

type Listener = (channel: string, message: string) => void;

/**
 * Many in-process listeners over one subscriber connection. Channels are subscribed while someone
 * listens and unsubscribed after the last one leaves. ioredis re-subscribes after a reconnect; the hub
 * also tells every listener "reconnected" (channel '') so it can re-read what it may have missed.
 */
export class ChannelHub {
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #onMessage = (channel: string, message: string) => {
    for (const listener of this.#listeners.get(channel) ?? []) listener(channel, message);
  };
  readonly #onReady = () => {
    for (const set of this.#listeners.values()) for (const listener of set) listener('', '');
  };

  constructor(private readonly subscriber: RedisClient) {
    subscriber.on('message', this.#onMessage);
    subscriber.on('ready', this.#onReady);
  }

  async listen(channels: string[], listener: Listener): Promise<() => Promise<void>> {
    const fresh = channels.filter((c) => !this.#listeners.has(c));
    for (const channel of channels) {
      const set = this.#listeners.get(channel) ?? new Set<Listener>();
      set.add(listener);
      this.#listeners.set(channel, set);
    }
    if (fresh.length > 0) await this.subscriber.subscribe(...fresh);
    return async () => {
      const emptied: string[] = [];
      for (const channel of channels) {
        const set = this.#listeners.get(channel);
        set?.delete(listener);
        if (set && set.size === 0) {
          this.#listeners.delete(channel);
          emptied.push(channel);
        }
      }
      if (emptied.length > 0) await this.subscriber.unsubscribe(...emptied).catch(() => undefined);
    };
  }

  detach(): void {
    this.subscriber.off('message', this.#onMessage);
    this.subscriber.off('ready', this.#onReady);
  }
}
