import { Channels } from '../redis/keys';
import type { ChannelHub } from '../redis/channel-hub';
import { JobNotFoundError } from './job-errors';
import type { JobEvent, JobStateStore } from './job-state-store';
import { isTerminal } from './job-types';

export interface WatchOptions {
  /** Resume after this event id (an SSE Last-Event-ID); from the beginning when absent. */
  afterId?: string;
  /** Safety net: re-read the stream this often even without a Pub/Sub nudge. */
  pollIntervalMs?: number;
  signal?: AbortSignal;
}

/**
 * Replays a job's event stream, then follows it live, ending after the terminal event.
 *
 * The stream is the source of truth and Pub/Sub only a wake-up call: every read asks for entries after
 * the last id delivered, so a dropped connection or a missed message can cause neither a gap nor a
 * duplicate — the next read (on the next message, on reconnect, or on the poll interval) catches up.
 */
export async function* watchJob(
  store: JobStateStore,
  hub: ChannelHub,
  jobId: string,
  options: WatchOptions = {},
): AsyncGenerator<JobEvent> {
  let lastId = options.afterId ?? '0';
  let wake: (() => void) | undefined;
  let nudged = false;
  const nudge = () => {
    nudged = true;
    wake?.();
  };
  const channels = [
    Channels.jobStatus(jobId),
    Channels.jobProgress(jobId),
    Channels.jobComplete(jobId),
    Channels.jobError(jobId),
  ];
  // Listen before the first read, so nothing published between the read and the subscription is missed.
  const stopListening = await hub.listen(channels, nudge);
  options.signal?.addEventListener('abort', nudge);
  try {
    let first = true;
    for (;;) {
      nudged = false;
      const events = await store.readEvents(jobId, lastId);
      if (first && events.length === 0 && lastId === '0' && !(await store.getStatus(jobId))) {
        throw new JobNotFoundError(jobId);
      }
      first = false;
      for (const event of events) {
        lastId = event.id;
        yield event;
        if (isTerminal(event.message.status)) return;
      }
      if (options.signal?.aborted) return;
      if (!nudged) await waitForNudge(options.pollIntervalMs ?? 1000, (resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    options.signal?.removeEventListener('abort', nudge);
    await stopListening();
  }
}

function waitForNudge(timeoutMs: number, register: (resolve: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    register(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
