import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { BlobClient, BlobServiceClient } from '@azure/storage-blob';
import { formatIssues } from '../contracts/field-issues';
import { PermanentError } from '../errors/app-errors';
import { parseBatchItem, type BatchItem, type BatchOperation } from './batch-items';

/**
 * Batch items given as a blob of JSON lines (`itemsUri`), one item per line. Only blobs of this
 * service's own storage account are read, with its own identity: the service never fetches an
 * arbitrary URL a caller names.
 */
export const MAX_BLOB_BATCH_ITEMS = 100_000;

export type ResolvedBlob = { ok: true; blob: BlobClient } | { ok: false; reason: string };

/** The blob an `itemsUri` names, if it is in this account (path-style URLs included: Azurite). */
export function resolveItemsBlob(blobService: BlobServiceClient, itemsUri: string): ResolvedBlob {
  const account = blobService.url.replace(/\/+$/, '');
  const outside = `must name a blob in this service's storage account (${account}/<container>/<blob>)`;
  let url: URL;
  try {
    url = new URL(itemsUri);
  } catch {
    return { ok: false, reason: 'must be a URL' };
  }
  const base = new URL(`${account}/`);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname) || url.search)
    return { ok: false, reason: outside };
  const rest = url.pathname.slice(base.pathname.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return { ok: false, reason: outside };
  const container = decodeURIComponent(rest.slice(0, slash));
  const blobName = decodeURIComponent(rest.slice(slash + 1));
  return { ok: true, blob: blobService.getContainerClient(container).getBlobClient(blobName) };
}

export type BlobItemOutcome =
  { ok: true; item: BatchItem; line: number } | { ok: false; index: number; line: number; reason: string };

/**
 * Reads and validates the items of a blob, line by line: a good line becomes an item (index = its
 * 0-based line number), a bad one a failed item with its line number and reason, and the others go
 * on. Blank lines are not items. A missing blob, a blob outside the account or more than
 * MAX_BLOB_BATCH_ITEMS items fail the whole job (PermanentError) before any item runs.
 */
export async function* readBatchItemsFromBlob(
  blobService: BlobServiceClient,
  itemsUri: string,
  operation: BatchOperation,
  batchJobId: string,
): AsyncGenerator<BlobItemOutcome> {
  const resolved = resolveItemsBlob(blobService, itemsUri);
  if (!resolved.ok) throw new PermanentError(`itemsUri ${resolved.reason}`, 'ValidationFailed');
  let body: Readable;
  try {
    body = (await resolved.blob.download()).readableStreamBody as Readable;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404)
      throw new PermanentError(`itemsUri names no blob (${resolved.blob.url})`, 'ValidationFailed');
    throw error;
  }
  let line = 0;
  let items = 0;
  for await (const text of createInterface({ input: body, crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() === '') continue;
    items += 1;
    if (items > MAX_BLOB_BATCH_ITEMS) {
      body.destroy();
      throw new PermanentError(`itemsUri holds more than ${MAX_BLOB_BATCH_ITEMS} items`, 'ValidationFailed');
    }
    const index = line - 1;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      yield { ok: false, index, line, reason: `line ${line}: is not JSON` };
      continue;
    }
    const parsed = parseBatchItem(operation, raw, index, batchJobId);
    yield parsed.ok
      ? { ok: true, item: parsed.value, line }
      : {
          ok: false,
          index,
          line,
          reason: `line ${line}: ${formatIssues(parsed.issues, { maxLength: 1000 })}`,
        };
  }
}
