/**
 * One trip job's trace and the job metrics, through the local host with the real app: an in-memory
 * span exporter and metric reader stand where Application Insights would be (registered globally
 * before the app loads, as telemetry-setup.ts does with the Azure Monitor distro).
 */
import { metrics, SpanKind, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-node';
import { KitNames } from '../../src/orchestrations/kit/kit-names';
import { TripGenerationNames } from '../../src/orchestrations/trip-generation/names';
import { tripInstanceId } from '../../src/orchestrations/trip-generation/names';
import { startTripHost, type TripHost } from './trip-host';

const spans = new InMemorySpanExporter();
const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const reader = new PeriodicExportingMetricReader({
  exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
  exportIntervalMillis: 3_600_000,
});
const meterProvider = new MeterProvider({ readers: [reader] });

const TASK_SCHEDULED = 4;

describe('telemetry of a trip job', () => {
  let trip: TripHost;

  beforeAll(async () => {
    tracerProvider.register();
    metrics.setGlobalMeterProvider(meterProvider);
    trip = await startTripHost();
  }, 60_000);
  afterAll(async () => {
    await trip?.stop();
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
    trace.disable();
    metrics.disable();
  });

  const spansOf = (traceId: string) =>
    spans.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
  const named = (list: ReadableSpan[], name: string) => list.filter((s) => s.name === name);
  const one = (list: ReadableSpan[], name: string) => {
    const found = named(list, name);
    expect(found.map((s) => s.name)).toEqual([name]);
    return found[0]!;
  };

  it('is one trace: HTTP → send → trigger → orchestration → each activity → checkpoint / announcement, no replay duplicates', async () => {
    const body = trip.trip();
    expect((await trip.post(body)).status).toBe(202);
    const instance = await trip.finished(body.jobId);
    expect(instance.runtimeStatus).toBe('Completed');
    await trip.host.serviceBus!.whenIdle();

    const root = spans
      .getFinishedSpans()
      .find((s) => s.name === 'POST /api/jobs/{workflow}' && s.attributes['tripgen.job.id'] === body.jobId)!;
    expect(root).toBeDefined();
    expect(root.kind).toBe(SpanKind.SERVER);
    expect(parentOf(root)).toBeUndefined();
    const all = spansOf(root.spanContext().traceId);

    const send = one(all, 'send ai-trip-generation');
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(send)).toBe(root.spanContext().spanId);
    const consume = one(all, 'process ai-trip-generation');
    expect(consume.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(consume)).toBe(send.spanContext().spanId);
    const orchestration = one(all, 'orchestration trip-generation');
    expect(parentOf(orchestration)).toBe(consume.spanContext().spanId);
    const identity = {
      'tripgen.job.id': body.jobId,
      'tripgen.workflow': 'trip-generation',
      'enduser.id': body.userId,
    };
    expect(orchestration.attributes).toMatchObject({
      ...identity,
      'durable.instance_id': tripInstanceId(body.jobId),
    });

    // Every activity the orchestration scheduled has exactly one span (replays made none), under the orchestration.
    const scheduled = new Map<string, number>();
    for (const event of instance.history)
      if (event.EventType === TASK_SCHEDULED)
        scheduled.set(String(event.Name), (scheduled.get(String(event.Name)) ?? 0) + 1);
    const activitySpans = all.filter((s) => s.name.startsWith('activity '));
    const perName = new Map<string, number>();
    for (const span of activitySpans)
      perName.set(span.name.slice(9), (perName.get(span.name.slice(9)) ?? 0) + 1);
    expect(Object.fromEntries(perName)).toEqual(Object.fromEntries(scheduled));
    expect([...scheduled.keys()]).toEqual(
      expect.arrayContaining([
        KitNames.activities.checkpoint,
        // The request names its interests, so tripResolveInterests is not among them.
        ...Object.values(TripGenerationNames.activities).filter(
          (name) => name !== TripGenerationNames.activities.resolveInterests,
        ),
      ]),
    );
    for (const span of activitySpans) {
      expect(parentOf(span)).toBe(orchestration.spanContext().spanId);
      expect(span.attributes).toMatchObject(identity);
    }

    // Each checkpoint activity wraps its Redis checkpoint; the announcement is a producer span of the announcing activity.
    const checkpoints = named(all, 'redis checkpoint');
    expect(checkpoints).toHaveLength(scheduled.get(KitNames.activities.checkpoint)!);
    const checkpointActivities = new Set(
      named(activitySpans, `activity ${KitNames.activities.checkpoint}`).map((s) => s.spanContext().spanId),
    );
    for (const span of checkpoints) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(checkpointActivities.has(parentOf(span)!)).toBe(true);
    }
    expect(checkpoints.at(-1)!.attributes).toMatchObject({
      'tripgen.job.status': 'completed',
      'tripgen.checkpoint.outcome': 'applied',
    });
    const announce = one(all, 'send ai-events');
    expect(announce.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(announce)).toBe(
      one(activitySpans, `activity ${TripGenerationNames.activities.publishGenerated}`).spanContext().spanId,
    );

    // Subscribers continue the trace: the TripGenerated message carries it (W3C and Service Bus's Diagnostic-Id).
    const event = trip.host
      .serviceBus!.peek('ai-events/Subscriptions/trip-service-subscription')
      .find((m) => m.messageId === `TripGenerated:${body.jobId}`)!;
    const traceparent = `00-${announce.spanContext().traceId}-${announce.spanContext().spanId}-01`;
    expect(event.applicationProperties).toMatchObject({
      traceparent,
      'Diagnostic-Id': traceparent,
      EventType: 'TripGenerated',
    });
  });

  it('counts jobs started, completed and failed by workflow, their durations and checkpoint latency', async () => {
    const before = await collect();
    const failing = trip.infeasibleTrip();
    expect((await trip.post(failing)).status).toBe(202);
    expect((await trip.finished(failing.jobId)).runtimeStatus).toBe('Failed');
    const after = await collect();
    const delta = (name: string, attributes: Record<string, string>) =>
      sum(after, name, attributes) - sum(before, name, attributes);
    expect(delta('tripgen.jobs.started', { workflow: 'trip-generation' })).toBe(1);
    expect(delta('tripgen.jobs.failed', { workflow: 'trip-generation', reason: 'NoFeasiblePlan' })).toBe(1);
    expect(delta('tripgen.jobs.completed', { workflow: 'trip-generation' })).toBe(0);
    // The first test's job completed: counted once, with one duration.
    expect(sum(after, 'tripgen.jobs.completed', { workflow: 'trip-generation' })).toBe(1);
    expect(
      histogramCount(after, 'tripgen.job.duration', { workflow: 'trip-generation', status: 'completed' }),
    ).toBe(1);
    expect(
      histogramCount(after, 'tripgen.job.duration', { workflow: 'trip-generation', status: 'failed' }),
    ).toBe(1);
    expect(
      histogramCount(after, 'tripgen.checkpoint.latency', { workflow: 'trip-generation' }),
    ).toBeGreaterThanOrEqual(2);
  });

  it('reads queue depths and dead letters per queue through the administration client (timer → gauges)', async () => {
    const jobId = 'telemetry-bad-message';
    trip.host.serviceBus!.send('ai-trip-generation', {
      messageId: `m-${jobId}`,
      sessionId: 'malformed',
      body: { jobId, userId: 'user-9', days: 99, places: [] },
      contentType: 'application/json',
    });
    await trip.host.serviceBus!.whenIdle();
    const deadLetters = trip.host.serviceBus!.deadLetters('ai-trip-generation').length;
    expect(deadLetters).toBeGreaterThanOrEqual(1);
    const outcome = await trip.host.fireTimer('queueMetrics');
    expect(outcome.error).toBeUndefined();
    const after = await collect();
    expect(gauge(after, 'tripgen.queue.dead_letter_messages', { queue: 'ai-trip-generation' })).toBe(
      deadLetters,
    );
    expect(gauge(after, 'tripgen.queue.active_messages', { queue: 'ai-trip-generation' })).toBe(0);
    expect(gauge(after, 'tripgen.queue.dead_letter_messages', { queue: 'ai-batch-processing' })).toBe(0);
  });

  it('counts cache hits and misses by cache, and model serving by variant through the hooks', async () => {
    const cache = await trip.app.services.appServices().scheduleCache();
    await cache.get('telemetry:nothing-here');
    trip.app.metrics.modelServingMetrics.impression('7', 'canary');
    trip.app.metrics.modelServingMetrics.click('7', 'canary');
    const after = await collect();
    expect(sum(after, 'tripgen.cache.misses', { cache: 'schedule' })).toBeGreaterThanOrEqual(1);
    expect(sum(after, 'tripgen.model.impressions', { model_version: '7', variant: 'canary' })).toBe(1);
    expect(sum(after, 'tripgen.model.clicks', { model_version: '7', variant: 'canary' })).toBe(1);
  });
});

async function collect(): Promise<ResourceMetrics> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  return resourceMetrics;
}

function points(metrics: ResourceMetrics, name: string, attributes: Record<string, string>) {
  return metrics.scopeMetrics
    .flatMap((s) => s.metrics)
    .filter((m) => m.descriptor.name === name)
    .flatMap((m) => m.dataPoints as Array<{ attributes: Record<string, unknown>; value: unknown }>)
    .filter((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v));
}

function sum(metrics: ResourceMetrics, name: string, attributes: Record<string, string>): number {
  return points(metrics, name, attributes).reduce((total, p) => total + (p.value as number), 0);
}

function gauge(
  metrics: ResourceMetrics,
  name: string,
  attributes: Record<string, string>,
): number | undefined {
  return points(metrics, name, attributes)[0]?.value as number | undefined;
}

function histogramCount(metrics: ResourceMetrics, name: string, attributes: Record<string, string>): number {
  return points(metrics, name, attributes).reduce(
    (total, p) => total + (p.value as { count: number }).count,
    0,
  );
}
