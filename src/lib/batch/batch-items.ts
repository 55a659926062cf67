import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  CONTRACT_PARSE_PARAMS,
  entityIdField,
  futureVersionIssue,
  jobIdField,
  schemaVersionField,
} from '../contracts/common-fields';
import { formatPath, toFieldIssues } from '../contracts/field-issues';
import {
  parseTripGenerationRequest,
  type ParseOptions,
  type ParseResult,
  type TripGenerationRequest,
} from '../contracts/trip-generation-request';
import type { FieldIssue } from '../errors/app-errors';

/**
 * A batch job (`POST /api/jobs/batch`, queue ai-batch-processing): one operation over many items,
 * given inline (`items`, up to 10,000) or as a blob of JSON lines (`itemsUri`, see items-blob.ts).
 */
export const BATCH_SCHEMA_VERSION = 1;
export const BATCH_OPERATIONS = ['analyse-preferences', 'generate-trips', 'refresh-recommendations'] as const;
export type BatchOperation = (typeof BATCH_OPERATIONS)[number];
export const MAX_INLINE_BATCH_ITEMS = 10_000;

/**
 * Operations the contract names but the service cannot run yet, with the reason given to the caller.
 * The one place to flip when a workflow arrives.
 */
export const UNAVAILABLE_OPERATIONS: Partial<Record<BatchOperation, string>> = {};

const analysePreferencesItem = z.strictObject({
  userId: entityIdField,
  windowDays: z.number().int('must be a whole number').min(1).max(730).optional(),
});
const refreshRecommendationsItem = z.strictObject({
  userId: entityIdField,
  destination: z.string().trim().min(1, 'must not be empty').max(200),
});

export type AnalysePreferencesItem = z.output<typeof analysePreferencesItem>;
export type RefreshRecommendationsItem = z.output<typeof refreshRecommendationsItem>;
export interface BatchItemValues {
  'analyse-preferences': AnalysePreferencesItem;
  'generate-trips': TripGenerationRequest;
  'refresh-recommendations': RefreshRecommendationsItem;
}
export type BatchItemValue = BatchItemValues[BatchOperation];

/** An item with its place in the batch (0-based; for a blob, its 0-based line) and a readable id. */
export interface BatchItem<T = BatchItemValue> {
  index: number;
  itemId: string;
  value: T;
}

/**
 * One item of an operation, validated. `generate-trips` items are trip requests under the trip
 * contract; each gets the job id `<batch job id>.<index>` (an item naming its own is refused).
 */
export function parseBatchItem(
  operation: BatchOperation,
  input: unknown,
  index: number,
  batchJobId: string,
): ParseResult<BatchItem> {
  if (operation === 'generate-trips') {
    // The batch names its trips' jobs, so a redelivered batch re-finds them and no two items share one.
    if (input && typeof input === 'object' && 'jobId' in input)
      return {
        ok: false,
        issues: [
          { path: 'jobId', message: `is set by the batch (${itemJobId(batchJobId, index)}); leave it out` },
        ],
      };
    const parsed = parseTripGenerationRequest(input, { newJobId: () => itemJobId(batchJobId, index) });
    return parsed.ok
      ? { ok: true, value: { index, itemId: parsed.value.tripId, value: parsed.value } }
      : parsed;
  }
  const schema = operation === 'analyse-preferences' ? analysePreferencesItem : refreshRecommendationsItem;
  const parsed = schema.safeParse(input, CONTRACT_PARSE_PARAMS);
  if (!parsed.success) return { ok: false, issues: toFieldIssues(parsed.error) };
  const value = parsed.data;
  const itemId = 'destination' in value ? `${value.userId}/${value.destination}` : value.userId;
  return { ok: true, value: { index, itemId, value } };
}

/** `<batch job id>.<index>`, or a digest of the batch id when that would pass the 128-character rule. */
export function itemJobId(batchJobId: string, index: number): string {
  const suffix = `.${index}`;
  const base =
    batchJobId.length + suffix.length <= 128
      ? batchJobId
      : createHash('sha256').update(batchJobId).digest('hex').slice(0, 40);
  return `${base}${suffix}`;
}

const bodySchema = z
  .strictObject({
    schemaVersion: schemaVersionField(BATCH_SCHEMA_VERSION),
    jobId: jobIdField.optional(),
    /** Who asked (the job's owner in its status record). */
    userId: entityIdField.optional(),
    operation: z.enum(BATCH_OPERATIONS, { message: `must be one of ${BATCH_OPERATIONS.join(', ')}` }),
    items: z
      .array(z.unknown())
      .min(1, 'must hold at least one item')
      .max(
        MAX_INLINE_BATCH_ITEMS,
        `must hold at most ${MAX_INLINE_BATCH_ITEMS} items (use itemsUri for more)`,
      )
      .optional(),
    itemsUri: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL of a blob' })
      .max(2048)
      .optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.items === undefined) === (body.itemsUri === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['items'],
        message: 'give either items or itemsUri, not both or neither',
      });
    const unavailable = UNAVAILABLE_OPERATIONS[body.operation];
    if (unavailable)
      ctx.addIssue({ code: 'custom', path: ['operation'], message: `${body.operation} ${unavailable}` });
  });

export type BatchRequest = Omit<z.output<typeof bodySchema>, 'items' | 'jobId'> & {
  jobId: string;
  /** Inline items, every one valid (a bad inline item refuses the whole request). */
  items?: BatchItem[];
};

/**
 * Validates a batch job body. Inline items are validated here, every bad one reported by index and
 * field (`items[3].places[0].lat: ...`), and one bad item refuses the request: nothing was accepted
 * yet, so the caller can fix and resend. Items in a blob are read later, by the job; a bad line
 * there fails that item alone (items-blob.ts).
 */
export function parseBatchRequest(input: unknown, options: ParseOptions = {}): ParseResult<BatchRequest> {
  const future = futureVersionIssue(input, BATCH_SCHEMA_VERSION);
  if (future.length > 0) return { ok: false, issues: future };
  const parsed = bodySchema.safeParse(input, CONTRACT_PARSE_PARAMS);
  if (!parsed.success) return { ok: false, issues: toFieldIssues(parsed.error) };
  const { items: rawItems, ...body } = parsed.data;
  const jobId = body.jobId ?? options.newJobId?.();
  if (!jobId)
    return { ok: false, issues: [{ path: 'jobId', message: 'is required (no job id generator was given)' }] };
  if (!jobIdField.safeParse(jobId).success)
    throw new Error(`the job id generator made an invalid id: "${jobId}"`);
  if (!rawItems) return { ok: true, value: { ...body, jobId } };

  const items: BatchItem[] = [];
  const issues: FieldIssue[] = [];
  rawItems.forEach((raw, index) => {
    const item = parseBatchItem(body.operation, raw, index, jobId);
    if (item.ok) items.push(item.value);
    else
      issues.push(
        ...item.issues.map((i) => ({ ...i, path: formatPath(['items', index]) + prefixed(i.path) })),
      );
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { ...body, jobId, items } };
}

function prefixed(path: string): string {
  if (!path) return '';
  return path.startsWith('[') ? path : `.${path}`;
}

/** Items in chunks of `size` (the plan's BatchSize), in order; the last may be smaller. */
export function chunkItems<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`chunk size must be a whole number >= 1 (got ${size})`);
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
