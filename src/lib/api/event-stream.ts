/**
 * Server-Sent Events bodies whose life is bounded. @azure/functions 4.x never tells a handler that
 * its client went away (Azure/azure-functions-nodejs-library#294): a body stream is read to its end,
 * into a closed connection if need be. An event stream that waited for its client to leave would
 * therefore keep its timers and subscriptions for ever, in Azure as on the local host. So every
 * stream here ends on its own after `maxLifetimeMs` (browsers' EventSource reconnects after the
 * `retry:` it was sent, with Last-Event-ID where the stream's events have ids), and every open stream
 * ends when the app shuts down (app-lifecycle.ts), so a scale-in or a deploy leaves none behind.
 */

/** A comment line keeps proxies from closing an idle stream. */
export const SSE_HEARTBEAT = ': keep-alive\n\n';

/** How often a quiet stream sends SSE_HEARTBEAT (proxies close connections idle for a minute or more). */
export const SSE_HEARTBEAT_MS = 15_000;

/** The headers of every event stream; X-Accel-Buffering keeps nginx-style proxies from holding frames back. */
export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-store',
  'X-Accel-Buffering': 'no',
} as const;

/** How long one stream stays open before the client is asked to reconnect. */
export const SSE_MAX_LIFETIME_MS = 5 * 60_000;

/** What a client waits before reconnecting (the SSE `retry:` field). */
export const SSE_RECONNECT_MS = 1_000;

export interface EventStreamOptions {
  heartbeatMs?: number;
  maxLifetimeMs?: number;
}

/**
 * Writes the stream's frames until it is done or `signal` aborts (lifetime over, client cancelled,
 * app shutting down); it must return soon after the abort and let go of what it holds.
 */
export type EventProducer = (send: (frame: string) => void, signal: AbortSignal) => Promise<void>;

const open = new Set<AbortController>();

/** Ends every open event stream (app shutdown). */
export function endOpenEventStreams(): void {
  for (const stream of open) stream.abort();
}

/** How many event streams are open in this process. */
export function openEventStreamCount(): number {
  return open.size;
}

export function eventStream(
  produce: EventProducer,
  options: EventStreamOptions = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const stop = new AbortController();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (frame: string) => {
        if (!closed) controller.enqueue(encoder.encode(frame));
      };
      const heartbeat = setInterval(() => send(SSE_HEARTBEAT), options.heartbeatMs ?? SSE_HEARTBEAT_MS);
      const lifetime = setTimeout(() => stop.abort(), options.maxLifetimeMs ?? SSE_MAX_LIFETIME_MS);
      open.add(stop);
      // Whatever ends the stream, its timers go at once, even before the producer has returned.
      stop.signal.addEventListener(
        'abort',
        () => {
          clearInterval(heartbeat);
          clearTimeout(lifetime);
          open.delete(stop);
        },
        { once: true },
      );
      const finish = (error?: unknown) => {
        if (closed) return;
        closed = true;
        stop.abort();
        try {
          if (error === undefined) controller.close();
          else controller.error(error);
        } catch {
          // The reader cancelled the stream first: nothing left to close.
        }
      };
      send(`retry: ${SSE_RECONNECT_MS}\n\n`);
      // The producer sees the abort first and returns; finish() then closes the stream.
      produce(send, stop.signal).then(
        () => finish(),
        (error: unknown) => finish(error),
      );
    },
    cancel() {
      stop.abort();
    },
  });
}

/** Resolves when `signal` aborts (at once if it already has). */
export function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
