/**
 * A batch job's trace through the local host with the real app: the chunks run in sub-orchestrations,
 * and their activities must still be spans of the batch job's trace (the sub-orchestration carries
 * the job's trace context into each activity input), as the trip job's are (telemetry.e2e.test.ts).
 */
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { BatchNames } from '../../src/orchestrations/batch/names';
import { instanceIdOf } from '../../src/orchestrations/kit/workflow-definition';
import { uniqueId } from '../rig/redis-targets';
import { startAppWithBlob, type AppWithBlob } from './app-with-blob';

const spans = new InMemorySpanExporter();
const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });

describe('telemetry of a batch job', () => {
  let app: AppWithBlob;

  beforeAll(async () => {
    tracerProvider.register();
    app = await startAppWithBlob('TripGenAIBatchTrace', { env: { AI_BATCH_SIZE: '1' } });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await tracerProvider.shutdown();
    trace.disable();
  });

  it("puts every chunk's activity in the job's trace, under the batch orchestration, with the job's identity", async () => {
    const jobId = uniqueId('traced-batch');
    const response = await app.postJson('jobs/batch', {
      jobId,
      userId: 'batch-owner',
      operation: 'analyse-preferences',
      items: [{ userId: 'traced-1' }, { userId: 'traced-2' }, { userId: 'traced-3' }],
    });
    expect(response.status).toBe(202);
    const instance = await app.host.durable.waitFor(
      instanceIdOf('batch', jobId),
      (i) => ['Completed', 'Failed'].includes(i.runtimeStatus),
      30_000,
    );
    expect(instance.runtimeStatus).toBe('Completed');

    const finished = spans.getFinishedSpans();
    const orchestration = finished.find(
      (s) => s.name === 'orchestration batch' && s.attributes['tripgen.job.id'] === jobId,
    )!;
    expect(orchestration).toBeDefined();
    const inTrace = finished.filter((s) => s.spanContext().traceId === orchestration.spanContext().traceId);
    const chunkSpans = inTrace.filter((s) => s.name === `activity ${BatchNames.activities.runChunk}`);
    // One chunk per item (BatchSize 1), each run once: exactly three spans, none from replays.
    expect(chunkSpans).toHaveLength(3);
    for (const span of chunkSpans) {
      expect(span.parentSpanContext?.spanId).toBe(orchestration.spanContext().spanId);
      expect(span.attributes).toMatchObject({
        'tripgen.job.id': jobId,
        'tripgen.workflow': 'batch',
        'enduser.id': 'batch-owner',
      });
    }
    // The batch's own activities are in the same trace.
    const names = new Set(inTrace.map((s) => s.name));
    for (const name of [BatchNames.activities.stage, BatchNames.activities.commitResults])
      expect(names).toContain(`activity ${name}`);
  });
});
