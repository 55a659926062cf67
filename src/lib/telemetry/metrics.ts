import { recordServing } from '../ops/serving-series';
import telemetryAlerts from './telemetry-alerts.json';
import { metrics, type Counter, type Histogram, type ObservableResult } from '@opentelemetry/api';

/**
 * The app's instruments, one name each, named in telemetry-alerts.json (read by the Bicep alerts, infra/bicep/modules/telemetry-alerts.bicep)
 * and the operations dashboard. All are no-ops until telemetry-setup.ts registers a meter provider.
 */
export const MetricNames = telemetryAlerts.metrics;

const meter = () => metrics.getMeter('tripgen-ai-service');

interface Instruments {
  started: Counter;
  completed: Counter;
  failed: Counter;
  duration: Histogram;
  checkpoint: Histogram;
  cacheHits: Counter;
  cacheMisses: Counter;
  impressions: Counter;
  clicks: Counter;
}

let instruments: Instruments | undefined;

/** Made on first use, after telemetry-setup.ts had its chance to register the provider. */
function get(): Instruments {
  if (instruments) return instruments;
  const m = meter();
  instruments = {
    started: m.createCounter(MetricNames.jobsStarted, { description: 'Jobs whose orchestration started' }),
    completed: m.createCounter(MetricNames.jobsCompleted, { description: 'Jobs completed' }),
    failed: m.createCounter(MetricNames.jobsFailed, { description: 'Jobs failed' }),
    duration: m.createHistogram(MetricNames.jobDuration, {
      description: 'Time from a job being queued to its end',
      unit: 's',
      advice: { explicitBucketBoundaries: [1, 5, 15, 30, 60, 120, 300, 600, 1800] },
    }),
    checkpoint: m.createHistogram(MetricNames.checkpointLatency, {
      description: 'One checkpoint: the script call to Redis and its answer',
      unit: 'ms',
      advice: { explicitBucketBoundaries: [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000] },
    }),
    cacheHits: m.createCounter(MetricNames.cacheHits, {
      description: 'Cache-aside reads that found the value',
    }),
    cacheMisses: m.createCounter(MetricNames.cacheMisses, { description: 'Cache-aside reads that missed' }),
    impressions: m.createCounter(MetricNames.modelImpressions, {
      description: 'Recommendation lists served, by model version and variant',
    }),
    clicks: m.createCounter(MetricNames.modelClicks, {
      description: 'Clicks on served recommendations, by model version and variant',
    }),
  };
  return instruments;
}

/** For hosts that swap the meter provider (tests): instruments are made again from the new one. */
export function resetInstruments(): void {
  instruments = undefined;
}

export const jobMetrics = {
  started(workflow: string): void {
    get().started.add(1, { workflow });
  },
  /** A job's end, once (the checkpoint that applied the terminal status), with its length when known. */
  finished(
    workflow: string,
    status: 'completed' | 'failed',
    durationSeconds?: number,
    reason?: string,
  ): void {
    const i = get();
    if (status === 'completed') i.completed.add(1, { workflow });
    else i.failed.add(1, { workflow, reason: reason ?? 'unknown' });
    if (durationSeconds !== undefined && durationSeconds >= 0)
      i.duration.record(durationSeconds, { workflow, status });
  },
  checkpointLatency(ms: number, workflow: string): void {
    get().checkpoint.record(ms, { workflow });
  },
};

export const cacheMetrics = {
  record(cache: string, event: 'hit' | 'miss'): void {
    (event === 'hit' ? get().cacheHits : get().cacheMisses).add(1, { cache });
  },
};

/** The serving code's hooks: each served list and each click, by model version and canary variant. */
export const modelServingMetrics = {
  impression(modelVersion: string, variant: string): void {
    get().impressions.add(1, { model_version: modelVersion, variant });
    recordServing(modelVersion, variant, 'impression');
  },
  click(modelVersion: string, variant: string): void {
    get().clicks.add(1, { model_version: modelVersion, variant });
    recordServing(modelVersion, variant, 'click');
  },
};

/** Queue gauges: the latest counts the queue-stats timer read, reported at each collection. */
const queueCounts = new Map<string, { active: number; deadLetter: number }>();
let gaugesRegistered = false;

export function recordQueueCounts(queue: string, counts: { active: number; deadLetter: number }): void {
  queueCounts.set(queue, counts);
  if (gaugesRegistered) return;
  gaugesRegistered = true;
  const m = meter();
  const observe = (pick: 'active' | 'deadLetter') => (result: ObservableResult) => {
    for (const [name, value] of queueCounts) result.observe(value[pick], { queue: name });
  };
  m.createObservableGauge(MetricNames.queueActive, { description: 'Active messages per queue' }).addCallback(
    observe('active'),
  );
  m.createObservableGauge(MetricNames.queueDeadLetters, {
    description: 'Dead-lettered messages per queue',
  }).addCallback(observe('deadLetter'));
}

export function resetQueueGauges(): void {
  queueCounts.clear();
  gaugesRegistered = false;
}
