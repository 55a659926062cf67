/**
 * How a job's trace reaches its activities: the orchestrator wraps the payload with the job's trace
 * context (only when it has one); the activity registration unwraps it and runs the activity in a
 * child span of the job's trace, marked failed when the activity reports a permanent failure.
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { JobInput } from '../../../src/orchestrations/kit/job-input';
import { runTracedActivity, withJobTrace } from '../../../src/orchestrations/kit/traced-activity';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT = 'b7ad6b7169203331';
const job = (trace?: JobInput<unknown>['trace']): JobInput<unknown> =>
  ({ jobId: 'job-1', userId: 'user-1', workflow: 'recommendation', request: {}, trace }) as JobInput<unknown>;

describe('traced activities', () => {
  const spans = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });

  beforeAll(() => provider.register());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
  });
  beforeEach(() => spans.reset());

  it('leaves the payload alone when the job has no trace context', () => {
    const payload = { a: 1 };
    expect(withJobTrace(job(), payload)).toBe(payload);
    expect(withJobTrace(job({ tracestate: 'x=1' }), payload)).toBe(payload);
  });

  it('wraps the payload with the trace context and the job it belongs to', () => {
    const traceparent = `00-${TRACE_ID}-${PARENT}-01`;
    expect(withJobTrace(job({ traceparent, tracestate: 'x=1' }), { a: 1 })).toEqual({
      $trace: {
        traceparent,
        tracestate: 'x=1',
        jobId: 'job-1',
        workflow: 'recommendation',
        userId: 'user-1',
      },
      input: { a: 1 },
    });
  });

  it('runs an untraced input as it is, with no span', async () => {
    const run = jest.fn(async (payload: unknown) => payload);
    await expect(runTracedActivity('act', { a: 1 }, run)).resolves.toEqual({ a: 1 });
    expect(run).toHaveBeenCalledWith({ a: 1 });
    // Half a wrapper (no `input`) is a payload, not a traced input.
    await expect(runTracedActivity('act', { $trace: {} }, run)).resolves.toEqual({ $trace: {} });
    expect(spans.getFinishedSpans()).toHaveLength(0);
  });

  it('runs a traced input with its own payload in a child span of the job, named after the activity', async () => {
    const wrapped = withJobTrace(job({ traceparent: `00-${TRACE_ID}-${PARENT}-01` }), { a: 1 });
    const run = jest.fn(async () => ({ ok: true, value: 3 }));
    await expect(runTracedActivity('recommendationCompute', wrapped, run)).resolves.toEqual({
      ok: true,
      value: 3,
    });
    expect(run).toHaveBeenCalledWith({ a: 1 });
    const [span] = spans.getFinishedSpans();
    expect(span!.name).toBe('activity recommendationCompute');
    expect(span!.spanContext().traceId).toBe(TRACE_ID);
    expect(span!.parentSpanContext?.spanId).toBe(PARENT);
    expect(span!.attributes).toMatchObject({
      'tripgen.job.id': 'job-1',
      'tripgen.workflow': 'recommendation',
      'enduser.id': 'user-1',
      'faas.name': 'recommendationCompute',
    });
    expect(span!.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('leaves the span unmarked when the activity answers with something other than an outcome', async () => {
    const wrapped = withJobTrace(job({ traceparent: `00-${TRACE_ID}-${PARENT}-01` }), {});
    await expect(runTracedActivity('act', wrapped, async () => null)).resolves.toBeNull();
    await expect(runTracedActivity('act', wrapped, async () => ({ items: 2 }))).resolves.toEqual({
      items: 2,
    });
    expect(spans.getFinishedSpans().map((s) => s.status.code)).not.toContain(SpanStatusCode.ERROR);
  });

  it('marks the span failed, with the code, when the activity reports a permanent failure', async () => {
    const wrapped = withJobTrace(job({ traceparent: `00-${TRACE_ID}-${PARENT}-01` }), {});
    const outcome = { ok: false, permanent: true, reason: 'no model', code: 'ModelUnavailable' };
    await expect(runTracedActivity('act', wrapped, async () => outcome)).resolves.toBe(outcome);
    const [span] = spans.getFinishedSpans();
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ModelUnavailable' });
  });
});
