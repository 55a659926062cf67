import type { JobEvent } from '../jobs/job-state-store';
import { eventStream, type EventStreamOptions } from './event-stream';

/** Server-Sent Events framing of job events: the stream entry id is the SSE id (Last-Event-ID resumes). */
export function sseFrame(event: JobEvent): string {
  return `id: ${event.id}\nevent: ${event.message.eventType}\ndata: ${JSON.stringify(event.message)}\n\n`;
}

/**
 * A job's events as an SSE body: `watch` yields them until the job's terminal event or until the
 * signal aborts (the stream's lifetime is over, or the app is shutting down: event-stream.ts).
 */
export function sseStream(
  watch: (signal: AbortSignal) => AsyncGenerator<JobEvent>,
  options: EventStreamOptions,
): ReadableStream<Uint8Array> {
  return eventStream(async (send, signal) => {
    for await (const event of watch(signal)) send(sseFrame(event));
  }, options);
}
