import type * as df from 'durable-functions';
import { formatIssues } from '../../lib/contracts/field-issues';
import type { Settings } from '../../lib/config/settings';
import { JobAlreadyFinishedError } from '../../lib/jobs/job-errors';
import type { JobStateStore } from '../../lib/jobs/job-state-store';
import { isTerminal } from '../../lib/jobs/job-types';
import type { OrderingLine } from '../../lib/jobs/ordering-line';
import { jobIdProblem } from '../../lib/redis/key-parts';
import { findInstance } from './instances';
import type { JobInput } from './job-input';
import {
  instanceIdOf,
  queuedCheckpoint,
  type JobRequest,
  type WorkflowDefinition,
} from './workflow-definition';

export interface IntakeDeps {
  jobStore(): Promise<JobStateStore>;
  orderingLine(): Promise<OrderingLine>;
  ai: Settings['ai'];
  /** All settings, for a workflow's own deadline (WorkflowDefinition.maxProcessingTimeMs). */
  settings?: Settings;
}

export type IntakeDecision =
  | { kind: 'invalid'; reason: 'ValidationFailed'; description: string; jobId?: string }
  | { kind: 'started' | 'known'; jobId: string; instanceId: string }
  | { kind: 'finished'; jobId: string; status: string };

/**
 * What a queue trigger does with one message, in seconds: validate it, put the job in its ordering
 * line, start its orchestration (instance id from the job id) unless it exists, and let go of the
 * message. A job cancelled while queued never starts; a redelivered or resubmitted message finds the
 * job it started instead of starting another. Waiting for the job's turn happens in the orchestration.
 */
export async function acceptJob<R extends JobRequest>(
  definition: WorkflowDefinition<R>,
  body: unknown,
  messageId: string | undefined,
  client: df.DurableClient,
  deps: IntakeDeps,
): Promise<IntakeDecision> {
  const parsed = definition.contract.parse(body, messageId ? () => jobIdFromMessageId(messageId) : undefined);
  if (!parsed.ok) {
    const description = formatIssues(parsed.issues);
    const jobId = await markInvalidJobFailed(definition, body, description, deps);
    return { kind: 'invalid', reason: 'ValidationFailed', description, jobId };
  }
  const request = parsed.value;
  const instanceId = instanceIdOf(definition.name, request.jobId);
  if (await findInstance(client, instanceId)) return { kind: 'known', jobId: request.jobId, instanceId };
  const store = await deps.jobStore();
  try {
    // A replay (seq 0) when the API recorded it first; its answer says whether it was cancelled meanwhile.
    const queued = await store.checkpoint(request.jobId, queuedCheckpoint(definition, request));
    if (isTerminal(queued.status)) return { kind: 'finished', jobId: request.jobId, status: queued.status };
  } catch (error) {
    // Finished long ago and its orchestration history purged: nothing may run twice.
    if (error instanceof JobAlreadyFinishedError)
      return { kind: 'finished', jobId: request.jobId, status: error.status };
    throw error;
  }
  const orderingKey = definition.orderingKey(request);
  const after = orderingKey
    ? await (await deps.orderingLine()).enter(definition.name, orderingKey, request.jobId)
    : undefined;
  const input: JobInput<R> = {
    jobId: request.jobId,
    userId: request.userId,
    workflow: definition.name,
    request,
    ...(after ? { after } : {}),
    ...(orderingKey ? { orderingKey } : {}),
    maxProcessingTimeMs:
      (deps.settings && definition.maxProcessingTimeMs?.(deps.settings)) ?? deps.ai.maxProcessingTimeMs,
    modelParallelism: deps.ai.modelParallelism,
    batchSize: deps.ai.batchSize,
  };
  // Watched by the reconciler sweep before it starts, so no started job can go unwatched.
  await store.inflight.add(request.jobId);
  try {
    await client.startNew(definition.orchestratorName, { instanceId, input });
  } catch (error) {
    // Started by a concurrent delivery of the same message between our look and our start.
    if (await findInstance(client, instanceId)) return { kind: 'known', jobId: request.jobId, instanceId };
    throw error;
  }
  return { kind: 'started', jobId: request.jobId, instanceId };
}

/** A job id from a Service Bus message id: same message, same job. */
export function jobIdFromMessageId(messageId: string): string {
  return `msg-${messageId.replace(/[^A-Za-z0-9_.:-]/g, '_')}`.slice(0, 128);
}

/** A malformed request whose job id and user can be read is still a job someone is waiting on. */
async function markInvalidJobFailed<R extends JobRequest>(
  definition: WorkflowDefinition<R>,
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
      jobType: definition.name,
      status: 'failed',
      step: 'validating_request',
      error: `ValidationFailed: ${description}`,
    });
  } catch (error) {
    if (!(error instanceof JobAlreadyFinishedError)) throw error;
  }
  return jobId;
}
