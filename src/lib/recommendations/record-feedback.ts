import type { Interaction } from '../contracts/interaction';
import type { FeedbackOutcome } from './feedback-counters';
import { modelOfRecommendationId } from './feedback-settings';
import type { ModelServing } from './model-serving';

export interface FeedbackSummary {
  /** Clicks and dismissals counted for their list's variant. */
  counted: number;
  /** Rows that carried a recommendationId but were not counted, with why (first 100). */
  notCounted: Array<{ index: number; reason: Exclude<FeedbackOutcome, 'counted'> }>;
}

const METRIC = { recommendation_click: 'clicks', recommendation_dismiss: 'dismissals' } as const;

/**
 * What stored interactions mean for serving: visits join the user's visited set (left out of their
 * lists), and clicks / dismissals on a served list count for its variant once per list. Both are
 * idempotent, so a retried call (same Idempotency-Key) changes nothing twice.
 */
export async function recordFeedback(
  serving: ModelServing,
  rows: readonly Interaction[],
): Promise<FeedbackSummary | undefined> {
  await serving.visited.record(rows);
  const summary: FeedbackSummary = { counted: 0, notCounted: [] };
  let any = false;
  for (const [index, row] of rows.entries()) {
    if (row.recommendationId === undefined) continue;
    if (row.action !== 'recommendation_click' && row.action !== 'recommendation_dismiss') continue;
    any = true;
    const modelName = modelOfRecommendationId(row.recommendationId);
    const outcome: FeedbackOutcome = modelName
      ? await serving.counters.countFeedback(
          modelName,
          row.recommendationId,
          row.userId,
          row.placeId,
          METRIC[row.action],
        )
      : 'unknown-list';
    if (outcome === 'counted') summary.counted += 1;
    else if (summary.notCounted.length < 100) summary.notCounted.push({ index, reason: outcome });
  }
  return any ? summary : undefined;
}
