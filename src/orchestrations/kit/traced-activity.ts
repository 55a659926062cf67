import { SpanStatusCode } from '@opentelemetry/api';
import { jobAttributes, type JobIdentity } from '../../lib/telemetry/job-attributes';
import { contextFromCarrier, withSpan, type TraceCarrier } from '../../lib/telemetry/tracing';
import type { JobInput } from './job-input';

/**
 * Activities are where a job's spans come from: the orchestrator replays, so a span made there would
 * be made again on every replay. The orchestrator only forwards the job's trace context (JobInput.trace,
 * set by the trigger) inside the activity's input; the registration unwraps it and runs the activity
 * in a span that is a child of the job's orchestration span. Without telemetry nothing is wrapped.
 */
const TRACE_FIELD = '$trace';

interface ActivityTrace extends TraceCarrier, JobIdentity {}

interface TracedInput {
  [TRACE_FIELD]: ActivityTrace;
  input: unknown;
}

/** What an orchestration needs of its job to trace the activities it schedules (sub-orchestrations get it in their input). */
export type JobTraceSource = Pick<JobInput<unknown>, 'jobId' | 'workflow' | 'userId' | 'trace'>;

/** The job's part of its input that a sub-orchestration needs to schedule traced activities. */
export function jobTraceSource(job: JobInput<unknown>): JobTraceSource {
  return {
    jobId: job.jobId,
    workflow: job.workflow,
    userId: job.userId,
    ...(job.trace ? { trace: job.trace } : {}),
  };
}

/** The activity input the orchestrator schedules: the payload, wrapped with the job's trace when it has one. */
export function withJobTrace(job: JobTraceSource, payload: unknown): unknown {
  if (!job.trace?.traceparent) return payload;
  const trace: ActivityTrace = {
    ...job.trace,
    jobId: job.jobId,
    workflow: job.workflow,
    userId: job.userId,
  };
  return { [TRACE_FIELD]: trace, input: payload } satisfies TracedInput;
}

function isTraced(input: unknown): input is TracedInput {
  return typeof input === 'object' && input !== null && TRACE_FIELD in input && 'input' in input;
}

/** Runs an activity with its own payload, inside a span of its job's trace when the input carries one. */
export function runTracedActivity(
  name: string,
  input: unknown,
  run: (payload: unknown) => Promise<unknown>,
): Promise<unknown> {
  if (!isTraced(input)) return run(input);
  const trace = input[TRACE_FIELD];
  return withSpan(
    `activity ${name}`,
    { parent: contextFromCarrier(trace), attributes: { ...jobAttributes(trace), 'faas.name': name } },
    async (span) => {
      const outcome = await run(input.input);
      // A permanent failure travels as a value (activity-outcome.ts): still a failed step.
      if (isPermanentFailure(outcome)) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.code });
      return outcome;
    },
  );
}

function isPermanentFailure(outcome: unknown): outcome is { code: string } {
  return typeof outcome === 'object' && outcome !== null && (outcome as { ok?: unknown }).ok === false;
}
