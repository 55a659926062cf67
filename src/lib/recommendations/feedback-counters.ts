import path from 'node:path';
import type { RedisClient } from '../redis/client-factory';
import { Keys } from '../redis/keys';
import { LuaScript } from '../redis/lua-script';
import { FEEDBACK_TTL_SECONDS, feedbackBucket } from './feedback-settings';

const COUNT_SERVED = LuaScript.fromFile(path.join(__dirname, 'commands', 'count-served.lua'));
const COUNT_FEEDBACK = LuaScript.fromFile(path.join(__dirname, 'commands', 'count-feedback.lua'));

export type Variant = 'production' | 'canary' | 'fallback';
export type FeedbackMetric = 'impressions' | 'clicks' | 'dismissals';

/** Counters of one time bucket, by field `<variant>:<version>:<metric>` (version `none` for fallback). */
export type BucketCounts = Record<string, number>;

export interface ServedList {
  recommendationId: string;
  modelName: string;
  modelVersion: number | null;
  variant: Variant;
  userId: string;
  placeIds: string[];
}

/** What happened to one click or dismissal (the interactions API reports it per row). */
export type FeedbackOutcome = 'counted' | 'duplicate' | 'unknown-list' | 'other-user' | 'not-in-list';
const OUTCOMES: Record<string, FeedbackOutcome> = {
  '1': 'counted',
  '0': 'duplicate',
  '-1': 'unknown-list',
  '-2': 'other-user',
  '-3': 'not-in-list',
};

export function counterPrefix(variant: Variant, version: number | null): string {
  return `${variant}:${version ?? 'none'}`;
}

/**
 * Online feedback per model and variant in Redis, in hourly buckets: each served list counts one
 * impression (once per recommendation id), each list clicked or dismissed counts once. Each change is
 * one script over keys of one hash tag ({modelName}), so counts never half-happen. The health timer
 * copies the buckets to Blob (feedback-archive.ts) so a Redis loss keeps the evidence.
 */
export class FeedbackCounters {
  constructor(
    private readonly redis: RedisClient,
    private readonly now: () => number = Date.now,
  ) {}

  async countServed(list: ServedList): Promise<boolean> {
    const { id, start } = feedbackBucket(this.now());
    const result = await COUNT_SERVED.run(
      this.redis,
      [
        Keys.feedbackServed(list.modelName, list.recommendationId),
        Keys.feedbackCounts(list.modelName, id),
        Keys.feedbackBuckets(list.modelName),
      ],
      [
        list.userId,
        counterPrefix(list.variant, list.modelVersion),
        `\n${list.placeIds.join('\n')}\n`,
        String(FEEDBACK_TTL_SECONDS.served),
        String(FEEDBACK_TTL_SECONDS.counters),
        id,
        String(start),
      ],
    );
    return Number(result) === 1;
  }

  async countFeedback(
    modelName: string,
    recommendationId: string,
    userId: string,
    placeId: string,
    metric: Exclude<FeedbackMetric, 'impressions'>,
  ): Promise<FeedbackOutcome> {
    const { id, start } = feedbackBucket(this.now());
    const result = await COUNT_FEEDBACK.run(
      this.redis,
      [
        Keys.feedbackServed(modelName, recommendationId),
        Keys.feedbackCounts(modelName, id),
        Keys.feedbackBuckets(modelName),
      ],
      [userId, placeId, metric, String(FEEDBACK_TTL_SECONDS.counters), id, String(start)],
    );
    return OUTCOMES[String(result)] ?? 'unknown-list';
  }

  /** Every bucket starting at or after `sinceMs` (the bucket holding `sinceMs` included). */
  async readBuckets(modelName: string, sinceMs: number): Promise<Map<string, BucketCounts>> {
    const from = feedbackBucket(sinceMs).start;
    const ids = await this.redis.zrangebyscore(Keys.feedbackBuckets(modelName), from, '+inf');
    const out = new Map<string, BucketCounts>();
    if (ids.length === 0) return out;
    // One hash tag: the pipeline goes to one node even on the cluster.
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(Keys.feedbackCounts(modelName, id));
    const replies = (await pipeline.exec()) ?? [];
    ids.forEach((id, n) => {
      const [error, value] = replies[n] ?? [null, {}];
      if (error) throw error;
      const counts: BucketCounts = {};
      for (const [field, text] of Object.entries((value ?? {}) as Record<string, string>))
        counts[field] = Number(text);
      out.set(id, counts);
    });
    return out;
  }
}
