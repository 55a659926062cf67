import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { BlobServiceClient } from '@azure/storage-blob';
import type { Interaction } from '../contracts/interaction';
import { INTERACTIONS_CONTAINER, dayPrefix, daysCovering, sequenceOf } from './log-layout';
import { decodeLine } from './log-lines';

export interface ReadInteractionsOptions {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  userId?: string;
  destination?: string;
  /** Told about every line that cannot be read; reading goes on with the next line. */
  onMalformed?: (problem: MalformedLine) => void;
}

export interface MalformedLine {
  blobName: string;
  /** 1-based, as an editor shows it. */
  lineNumber: number;
  reason: string;
}

/**
 * THE way to read the interaction log (analysis here, model training later): every interaction with
 * `at` in [from, to), optionally of one user and/or destination, streamed day by day (oldest day
 * first; within a day in blob order, not sorted by time), each row once however many times a retried
 * call wrote it (first copy of each callId + row index, per day: every copy of a row lands in the
 * day of its `at`). A malformed line is reported through `onMalformed` and skipped, never fatal.
 *
 * It lists only the days the range covers; a user filter still reads those days whole (the log is
 * partitioned by day, not by user), which is what analysis of a window wants anyway.
 */
export async function* readInteractions(
  blobService: BlobServiceClient,
  options: ReadInteractionsOptions,
): AsyncGenerator<Interaction> {
  const container = blobService.getContainerClient(INTERACTIONS_CONTAINER);
  if (!(await container.exists())) return;
  const fromMs = options.from.getTime();
  const toMs = options.to.getTime();
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw new RangeError('from and to must be valid dates');

  for (const day of daysCovering(options.from, options.to)) {
    const seen = new Set<string>();
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: dayPrefix(day) })) {
      if (sequenceOf(blob.name) === undefined) {
        options.onMalformed?.({ blobName: blob.name, lineNumber: 0, reason: 'is not a log blob (name)' });
        continue;
      }
      names.push(blob.name);
    }
    for (const blobName of names) {
      const download = await container.getBlobClient(blobName).download();
      const lines = createInterface({ input: download.readableStreamBody as Readable, crlfDelay: Infinity });
      let lineNumber = 0;
      for await (const text of lines) {
        lineNumber += 1;
        if (text.trim() === '') continue;
        const decoded = decodeLine(text);
        if (!decoded.ok) {
          options.onMalformed?.({ blobName, lineNumber, reason: decoded.reason });
          continue;
        }
        const { callId, i, interaction } = decoded.line;
        const atMs = Date.parse(interaction.at);
        if (atMs < fromMs || atMs >= toMs) continue;
        if (options.userId !== undefined && interaction.userId !== options.userId) continue;
        if (options.destination !== undefined && interaction.destination !== options.destination) continue;
        const rowKey = `${callId}\u0000${i}`;
        if (seen.has(rowKey)) continue;
        seen.add(rowKey);
        yield interaction;
      }
    }
  }
}
