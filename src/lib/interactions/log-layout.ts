import { hostname } from 'node:os';
import { JOB_ID_PATTERN } from '../redis/key-parts';

/**
 * Where the interaction log lives and how its blobs are named: the one home of these facts for the
 * writer, the reader and anyone listing the container by hand.
 *
 *   ai-interactions/interactions/<YYYY-MM-DD>/<writerId>/<sequence, 6 digits>.jsonl
 *
 * The day is the UTC day of the interaction's `at` (not of its arrival): a reader of a time range
 * lists only the days it covers, and every copy of one interaction (a retried call, whichever
 * instance took it) lands under the same day, where the reader de-duplicates. One writer (a process)
 * appends to its own blob, so appends never race across processes; when a blob is full the writer
 * rolls to the next sequence number.
 */
export const INTERACTIONS_CONTAINER = 'ai-interactions';
const ROOT = 'interactions';

/** Azure's append blob limits (4 MiB is the block size every service version accepts). */
export interface AppendBlobLimits {
  maxBlockBytes: number;
  maxBlocksPerBlob: number;
}
export const APPEND_BLOB_LIMITS: Readonly<AppendBlobLimits> = {
  maxBlockBytes: 4 * 1024 * 1024,
  maxBlocksPerBlob: 50_000,
};

/** Writer ids and call ids go into blob names and lines: the job id rule keeps both plain. */
export const WRITER_ID_PATTERN = JOB_ID_PATTERN;
export const CALL_ID_PATTERN = JOB_ID_PATTERN;

export function utcDay(at: string | number | Date): string {
  return new Date(at).toISOString().slice(0, 10);
}

export function dayPrefix(day: string): string {
  return `${ROOT}/${day}/`;
}

export function writerPrefix(day: string, writerId: string): string {
  return `${dayPrefix(day)}${writerId}/`;
}

export function logBlobName(day: string, writerId: string, sequence: number): string {
  return `${writerPrefix(day, writerId)}${String(sequence).padStart(6, '0')}.jsonl`;
}

/** The sequence number of one of a writer's blobs, or undefined for a name not of this layout. */
export function sequenceOf(blobName: string): number | undefined {
  const match = /\/(\d{6,})\.jsonl$/.exec(blobName);
  return match ? Number(match[1]) : undefined;
}

/** Every UTC day that [from, to) touches, oldest first. */
export function daysCovering(from: Date, to: Date): string[] {
  const days: string[] = [];
  if (to.getTime() <= from.getTime()) return days;
  const cursor = new Date(`${utcDay(from)}T00:00:00Z`);
  const last = utcDay(to.getTime() - 1);
  for (let day = utcDay(cursor); day <= last; day = utcDay(cursor)) {
    days.push(day);
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return days;
}

/**
 * A writer id for this process: the Functions instance (WEBSITE_INSTANCE_ID in Azure, else the host
 * name) and the process id, so two workers on one instance never share a blob. Characters outside
 * the id rule become "-".
 */
export function processWriterId(env: NodeJS.ProcessEnv = process.env, pid = process.pid): string {
  const instance = (env.WEBSITE_INSTANCE_ID || hostname()).slice(0, 32).replace(/[^A-Za-z0-9_.:-]/g, '-');
  return `${instance || 'host'}-${pid}`;
}
