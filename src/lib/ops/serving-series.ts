/**
 * Model serving as the dashboard charts it: impressions and clicks per variant per minute, for the
 * last hour, from the serving hooks (telemetry/metrics.ts modelServingMetrics). In-process only: the
 * fleet-wide figures are the tripgen.model.* metrics in Application Insights.
 */
export interface ServingPoint {
  minute: string;
  variant: string;
  modelVersion: string;
  impressions: number;
  clicks: number;
}

const KEEP_MINUTES = 60;
const buckets = new Map<string, ServingPoint>();

export function recordServing(
  modelVersion: string,
  variant: string,
  event: 'impression' | 'click',
  at: Date = new Date(),
): void {
  const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
  const key = `${minute}|${variant}|${modelVersion}`;
  const point = buckets.get(key) ?? { minute, variant, modelVersion, impressions: 0, clicks: 0 };
  if (event === 'impression') point.impressions += 1;
  else point.clicks += 1;
  buckets.set(key, point);
  const oldest = new Date(at.getTime() - KEEP_MINUTES * 60_000).toISOString();
  for (const [k, p] of buckets) if (p.minute < oldest) buckets.delete(k);
}

/** Oldest first; each point's share of impressions in its minute and its click-through rate. */
export function servingSeries(): Array<ServingPoint & { share: number; clickThrough: number }> {
  const points = [...buckets.values()].sort((a, b) => a.minute.localeCompare(b.minute));
  const perMinute = new Map<string, number>();
  for (const p of points) perMinute.set(p.minute, (perMinute.get(p.minute) ?? 0) + p.impressions);
  return points.map((p) => ({
    ...p,
    share: perMinute.get(p.minute) ? p.impressions / perMinute.get(p.minute)! : 0,
    clickThrough: p.impressions ? p.clicks / p.impressions : 0,
  }));
}

export function resetServingSeries(): void {
  buckets.clear();
}
