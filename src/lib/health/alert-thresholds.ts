import telemetryAlerts from '../telemetry/telemetry-alerts.json';

/**
 * The Redis production guide's alert thresholds ("핵심 메트릭", monitoring.tf) and business targets.
 * The Bicep metric alerts are the authority in Azure; the health check reports against the same numbers
 * so a degraded cache shows up in the app's own health before the alert fires.
 */
export const REDIS_ALERT_THRESHOLDS = {
  cpuPercent: 70,
  memoryPercent: 85,
  connectedClients: 2000,
  operationsPerSecond: 50_000,
} as const;

export const BUSINESS_TARGETS = {
  /** 추천 캐시 히트율 80% 이상 */
  recommendationHitRatio: telemetryAlerts.alerts.recommendationCacheHitPercent.threshold / 100,
} as const;
