import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { BlobServiceClient } from '@azure/storage-blob';
import { resolveItemsBlob } from '../batch/items-blob';
import { isBlobDataset, type TrainingDataset } from '../contracts/model-training-request';
import { PermanentError } from '../errors/app-errors';
import { readInteractions } from '../interactions/interaction-log';

/** The most rows one training reads (a blob or a range of the log); more fails the job, not the host. */
export const MAX_TRAINING_ROWS = 5_000_000;

/**
 * The raw rows of a training dataset, as the data-quality gate wants them: every row, valid or not.
 * From the interaction log, a line the reader cannot use is kept as a row that fails the schema
 * (`{ malformedLine }`), so it counts as a schema violation; from a blob, each line's JSON as written
 * (a line that is not JSON likewise). Only blobs of this service's own storage account are read.
 */
export async function readTrainingRows(
  blobService: BlobServiceClient,
  dataset: TrainingDataset,
): Promise<unknown[]> {
  const rows: unknown[] = [];
  const add = (row: unknown) => {
    if (rows.length >= MAX_TRAINING_ROWS)
      throw new PermanentError(`dataset: holds more than ${MAX_TRAINING_ROWS} rows`, 'ValidationFailed');
    rows.push(row);
  };
  if (!isBlobDataset(dataset)) {
    for await (const row of readInteractions(blobService, {
      from: new Date(dataset.from),
      to: new Date(dataset.to),
      onMalformed: (problem) =>
        add({ malformedLine: `${problem.blobName}:${problem.lineNumber}: ${problem.reason}` }),
    })) {
      add(row);
    }
    return rows;
  }
  const resolved = resolveItemsBlob(blobService, dataset.uri);
  if (!resolved.ok) throw new PermanentError(`dataset.uri ${resolved.reason}`, 'ValidationFailed');
  let body: Readable;
  try {
    body = (await resolved.blob.download()).readableStreamBody as Readable;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404)
      throw new PermanentError(`dataset.uri names no blob (${resolved.blob.url})`, 'ValidationFailed');
    throw error;
  }
  let line = 0;
  for await (const text of createInterface({ input: body, crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() === '') continue;
    try {
      add(JSON.parse(text));
    } catch (error) {
      if (error instanceof PermanentError) {
        body.destroy();
        throw error;
      }
      add({ malformedLine: `line ${line}: is not JSON` });
    }
  }
  return rows;
}
