import { createHash, randomUUID } from 'node:crypto';

/**
 * Lifetimes and time buckets of the online feedback. A served list is kept a week (a click on a list
 * older than that is not counted); counters 30 days, longer than any canary should run, and copied to
 * Blob by the health timer before then.
 */
export const FEEDBACK_TTL_SECONDS = { served: 7 * 86400, counters: 30 * 86400 } as const;

const HOUR_MS = 3600_000;

/** The hourly bucket of an instant: id `YYYYMMDDHH` (UTC) and its start. */
export function feedbackBucket(ms: number): { id: string; start: number } {
  const start = Math.floor(ms / HOUR_MS) * HOUR_MS;
  return { id: new Date(start).toISOString().slice(0, 13).replace(/[-T]/g, ''), start };
}

/**
 * `rec.<modelName>.<unique>`: the model is part of the id, so a click reported with only the id finds
 * its model's counters (and a forged id finds no served list).
 */
export function newRecommendationId(modelName: string, unique: string = randomUUID()): string {
  // Interactions carry ids of at most 128 characters: a long job id is replaced by its digest.
  const part = unique.length <= 60 ? unique : createHash('sha256').update(unique).digest('hex').slice(0, 40);
  return `rec.${modelName}.${part}`;
}

export function modelOfRecommendationId(recommendationId: string): string | undefined {
  return /^rec\.([a-z0-9][a-z0-9-]{0,62})\.[A-Za-z0-9_:@.-]+$/.exec(recommendationId)?.[1];
}
