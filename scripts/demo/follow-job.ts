import { baseUrl } from './demo-host';

export function progressBar(progress: number, width = 30): string {
  const filled = Math.round((Math.max(0, Math.min(progress, 100)) / 100) * width);
  return `[${'█'.repeat(filled)}${'·'.repeat(width - filled)}] ${String(Math.round(progress)).padStart(3)}%`;
}

export interface JobOutcome {
  status: string;
  error?: string;
}

/**
 * Follows a job on its Server-Sent Events stream (GET /api/jobs/{jobId}/events), drawing one live
 * progress line, until the stream ends with the job's terminal event. `describe` adds detail to the
 * line from the event's data (items done, epoch, ...).
 */
export async function followJob(
  eventsUri: string,
  describe: (data: Record<string, unknown>) => string = (data) => String(data.step ?? ''),
): Promise<JobOutcome> {
  const response = await fetch(`${baseUrl}${eventsUri}`);
  if (!response.body) throw new Error('the events stream has no body');
  const decoder = new TextDecoder();
  let buffer = '';
  let last: JobOutcome = { status: 'queued' };
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (!data) continue;
      const message = JSON.parse(data) as { status: string; progress: number; data: Record<string, unknown> };
      process.stdout.write(
        `\r${progressBar(message.progress)}  ${message.status.padEnd(10)} ${describe(message.data).padEnd(28)}`,
      );
      last = { status: message.status, error: message.data.error as string | undefined };
    }
  }
  process.stdout.write('\n');
  return last;
}
