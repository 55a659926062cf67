import type { JobEvent } from '../jobs/job-state-store';

/** Server-Sent Events framing of job events: the stream entry id is the SSE id (Last-Event-ID resumes). */
export function sseFrame(event: JobEvent): string {
  return `id: ${event.id}\nevent: ${event.message.eventType}\ndata: ${JSON.stringify(event.message)}\n\n`;
}

/** A comment line keeps proxies from closing an idle stream. */
export const SSE_HEARTBEAT = ': keep-alive\n\n';

export function sseStream(
  events: AsyncGenerator<JobEvent>,
  options: { heartbeatMs: number; onClose?: () => void },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let heartbeat: NodeJS.Timeout | undefined;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      heartbeat = setInterval(() => controller.enqueue(encoder.encode(SSE_HEARTBEAT)), options.heartbeatMs);
      try {
        for await (const event of events) controller.enqueue(encoder.encode(sseFrame(event)));
        controller.close();
      } catch (error) {
        controller.error(error);
      } finally {
        clearInterval(heartbeat);
        options.onClose?.();
      }
    },
    async cancel() {
      clearInterval(heartbeat);
      await events.return(undefined);
      options.onClose?.();
    },
  });
}
