import { RestError, type ContainerClient } from '@azure/storage-blob';
import type { BucketCounts } from './feedback-counters';

/** Buckets by id, as kept in Blob and as merged for the guard. */
export type FeedbackBuckets = Map<string, BucketCounts>;

/**
 * The online-feedback counters copied to Blob (`models/<name>/feedback.json` in the registry's
 * container) on the health timer, so a Redis loss (eviction, failover without persistence) does
 * not erase the evidence the canary guard decides on. Counters only grow, so two copies of one
 * bucket merge by taking the larger value of each field: the archive never goes backwards, and a
 * Redis that restarted from zero is outweighed by the archive until it has counted past it.
 */
export class FeedbackArchive {
  constructor(private readonly container: ContainerClient) {}

  async load(modelName: string): Promise<FeedbackBuckets> {
    return (await this.#read(modelName))?.buckets ?? new Map();
  }

  /** Merges `buckets` into the archive (read-modify-write under the blob's ETag, retried on a race). */
  async save(modelName: string, buckets: FeedbackBuckets): Promise<void> {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const current = await this.#read(modelName);
      const merged = mergeBuckets(current?.buckets ?? new Map(), buckets);
      const body = JSON.stringify({ modelName, buckets: Object.fromEntries(merged) });
      try {
        await this.container.getBlockBlobClient(blobName(modelName)).upload(body, Buffer.byteLength(body), {
          conditions: current ? { ifMatch: current.etag } : { ifNoneMatch: '*' },
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
        return;
      } catch (error) {
        if (!(error instanceof RestError && (error.statusCode === 412 || error.statusCode === 409)))
          throw error;
      }
    }
    throw new Error(`${blobName(modelName)}: still changing under us after 10 attempts`);
  }

  async #read(modelName: string): Promise<{ buckets: FeedbackBuckets; etag: string } | undefined> {
    try {
      const response = await this.container.getBlockBlobClient(blobName(modelName)).download();
      const chunks: Buffer[] = [];
      for await (const chunk of response.readableStreamBody!)
        chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        buckets: Record<string, BucketCounts>;
      };
      return { buckets: new Map(Object.entries(parsed.buckets)), etag: response.etag! };
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }
}

/** Field by field, the larger count of the two (counters only grow). */
export function mergeBuckets(a: FeedbackBuckets, b: FeedbackBuckets): FeedbackBuckets {
  const out: FeedbackBuckets = new Map();
  for (const [id, counts] of [...a, ...b]) {
    const into = out.get(id) ?? {};
    for (const [field, value] of Object.entries(counts)) into[field] = Math.max(into[field] ?? 0, value);
    out.set(id, into);
  }
  return out;
}

/** Sums `<prefix>:<metric>` over the buckets whose id is at or after `fromBucket`. */
export function sumCounts(
  buckets: FeedbackBuckets,
  prefix: string,
  fromBucket: string,
): { impressions: number; clicks: number; dismissals: number } {
  const total = { impressions: 0, clicks: 0, dismissals: 0 };
  for (const [id, counts] of buckets) {
    if (id < fromBucket) continue;
    for (const metric of ['impressions', 'clicks', 'dismissals'] as const)
      total[metric] += counts[`${prefix}:${metric}`] ?? 0;
  }
  return total;
}

const blobName = (modelName: string) => `models/${modelName}/feedback.json`;
