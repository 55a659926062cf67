import { demoBaseUrl } from './demo-host';

/** One message of a job's event stream, as the SSE route sends it (the guide's message format). */
export interface JobEventMessage {
  status: string;
  progress: number;
  data: { step: string; estimatedTime?: number; error?: string } & Record<string, unknown>;
}

export function bar(progress: number, width = 30): string {
  const filled = Math.round((progress / 100) * width);
  return `[${'█'.repeat(filled)}${'·'.repeat(width - filled)}] ${String(progress).padStart(3)}%`;
}

/**
 * Follows a job on its Server-Sent Events stream until the terminal event, redrawing one line per
 * event with `render`, and returns the last status (and error).
 */
export async function followJob(
  eventsUri: string,
  render: (message: JobEventMessage) => string = (m) =>
    `${bar(m.progress)}  ${m.status.padEnd(10)} ${m.data.step.padEnd(22)}`,
): Promise<{ status: string; error?: string }> {
  const response = await fetch(`${demoBaseUrl}${eventsUri}`);
  if (!response.body) throw new Error('the events stream has no body');
  const decoder = new TextDecoder();
  let buffer = '';
  let last: { status: string; error?: string } = { status: 'queued' };
  let width = 0;
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (!data) continue;
      const message = JSON.parse(data) as JobEventMessage;
      const line = render(message);
      process.stdout.write(`\r${line.padEnd(width)}`);
      width = line.length;
      last = { status: message.status, error: message.data.error };
    }
  }
  process.stdout.write('\n');
  return last;
}
