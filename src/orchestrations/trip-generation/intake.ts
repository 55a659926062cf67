import type * as df from 'durable-functions';
import type { FieldIssue } from '../../lib/errors/app-errors';
import type { JobStateStore } from '../../lib/jobs/job-state-store';
import { JobAlreadyFinishedError } from '../../lib/jobs/job-errors';
import { jobIdProblem } from '../../lib/redis/key-parts';
import type { TripGenerationInput, TripRequestRef } from './contracts';
import { TRIP_JOB_TYPE, TripGenerationNames, tripInstanceId } from './names';
import { queuedCheckpoint } from './progress-plan';

export type ParsedRequest =
  { ok: true; value: TripRequestRef & { jobId: string } } | { ok: false; issues: FieldIssue[] };

export interface IntakeDeps {
  jobStore(): Promise<JobStateStore>;
  parseRequest(body: unknown): ParsedRequest;
  formatIssues(issues: FieldIssue[]): string;
  maxProcessingTimeMs: number;
  modelParallelism: number;
}

export type IntakeDecision =
  | { kind: 'invalid'; reason: 'ValidationFailed'; description: string; jobId?: string }
  | { kind: 'started' | 'known'; jobId: string; instanceId: string };

/**
 * What the ai-trip-generation trigger does with one message: validate it, then start the job's
 * orchestration unless the job is already known. The instance id is derived from the job id, and a
 * message without a job id gets one derived from its Service Bus message id, so a redelivered or
 * resubmitted message finds the job it started instead of starting another.
 */
export async function acceptTripRequest(
  body: unknown,
  messageId: string | undefined,
  client: df.DurableClient,
  deps: IntakeDeps,
): Promise<IntakeDecision> {
  const parsed = deps.parseRequest(withJobId(body, messageId));
  if (!parsed.ok) {
    const description = deps.formatIssues(parsed.issues);
    const jobId = await markInvalidJobFailed(body, description, deps);
    return { kind: 'invalid', reason: 'ValidationFailed', description, jobId };
  }
  const request = parsed.value;
  const instanceId = tripInstanceId(request.jobId);
  if (await findInstance(client, instanceId)) return { kind: 'known', jobId: request.jobId, instanceId };
  const store = await deps.jobStore();
  try {
    await store.checkpoint(request.jobId, queuedCheckpoint(request));
  } catch (error) {
    // The job finished long ago and its orchestration history was purged: nothing may run twice.
    if (error instanceof JobAlreadyFinishedError) return { kind: 'known', jobId: request.jobId, instanceId };
    throw error;
  }
  const input: TripGenerationInput = {
    jobId: request.jobId,
    request,
    maxProcessingTimeMs: deps.maxProcessingTimeMs,
    modelParallelism: deps.modelParallelism,
  };
  await client.startNew(TripGenerationNames.orchestrator, { instanceId, input });
  return { kind: 'started', jobId: request.jobId, instanceId };
}

/**
 * Holds the message (and so its session) until the job ends: jobs of one session run one at a time,
 * in arrival order, as the Service Bus plan's sessions intend. The job's own deadline bounds the wait.
 */
export async function waitForJobToEnd(
  client: df.DurableClient,
  instanceId: string,
  options: { pollIntervalMs: number; timeoutMs: number },
): Promise<df.OrchestrationRuntimeStatus | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const status = await findInstance(client, instanceId);
    const runtime = status?.runtimeStatus;
    if (runtime && ['Completed', 'Failed', 'Terminated', 'Canceled'].includes(runtime)) return runtime;
    if (Date.now() > deadline) return runtime;
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs));
  }
}

export async function findInstance(
  client: df.DurableClient,
  instanceId: string,
): Promise<df.DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(instanceId);
  } catch (error) {
    if (error instanceof Error && error.message.includes('HTTP 404')) return undefined;
    throw error;
  }
}

function withJobId(body: unknown, messageId: string | undefined): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body) || 'jobId' in body || !messageId) return body;
  return { ...body, jobId: jobIdFromMessageId(messageId) };
}

/** A job id from a Service Bus message id: same message, same job. */
export function jobIdFromMessageId(messageId: string): string {
  return `msg-${messageId.replace(/[^A-Za-z0-9_.:-]/g, '_')}`.slice(0, 128);
}

/** A malformed request whose job id and user can be read is still a job someone is waiting on. */
async function markInvalidJobFailed(
  body: unknown,
  description: string,
  deps: IntakeDeps,
): Promise<string | undefined> {
  if (!body || typeof body !== 'object') return undefined;
  const { jobId, userId } = body as { jobId?: unknown; userId?: unknown };
  if (typeof jobId !== 'string' || jobIdProblem(jobId)) return undefined;
  const user = typeof userId === 'string' && /^[A-Za-z0-9_.:@-]{1,128}$/.test(userId) ? userId : 'unknown';
  try {
    await (
      await deps.jobStore()
    ).checkpoint(jobId, {
      userId: user,
      jobType: TRIP_JOB_TYPE,
      status: 'failed',
      step: 'validating_request',
      error: `ValidationFailed: ${description}`,
    });
  } catch (error) {
    if (!(error instanceof JobAlreadyFinishedError)) throw error;
  }
  return jobId;
}
