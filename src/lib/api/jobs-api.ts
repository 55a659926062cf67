import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type * as df from 'durable-functions';
import { findInstance } from '../../orchestrations/kit/instances';
import { reconcileJob } from '../../orchestrations/kit/reconcile';
import {
  WORKFLOW_NAMES,
  instanceIdOf,
  queuedCheckpoint,
  type JobRequest,
  type WorkflowDefinition,
} from '../../orchestrations/kit/workflow-definition';
import { WORKFLOWS, isWorkflowName, workflowNamed } from '../../orchestrations/workflows';
import type { AppServices } from '../app-services';
import type { FieldIssue } from '../errors/app-errors';
import { entityIdField } from '../contracts/common-fields';
import { JobAlreadyFinishedError, JobCommittedError } from '../jobs/job-errors';
import { isTerminal, type JobStatusRecord } from '../jobs/job-types';
import { queueDefinition } from '../messaging/topology';
import { jobIdProblem } from '../redis/key-parts';
import { Keys } from '../redis/keys';
import { watchJob } from '../jobs/watch-job';
import { callerOf, canAccess, ownedBody, type Caller } from './caller';
import { absoluteUrl, conflict, json, notFound, validationFailed } from './http-responses';
import { jobLinks } from './job-links';
import { readJsonBody } from './json-body';
import { SSE_HEADERS } from './event-stream';
import { sseStream } from './sse';
import { trace } from '@opentelemetry/api';
import { jobAttributes } from '../telemetry/job-attributes';
import { messageTraceProperties, SpanKind, withSpan } from '../telemetry/tracing';
import { submitFailedResponse, submitJob as submitQueuedJob } from './submit-job';

export interface JobsApiDeps {
  services: AppServices;
  newJobId(): string;
  /** The clock the edge checks use (a trip may not start before today); the real one unless a test pins it. */
  now?(): Date;
  /** Where a failed submit's details go, under the error id its 503 names. */
  log?(message: string): void;
  /** SSE keep-alive comment interval (default SSE_HEARTBEAT_MS). */
  heartbeatMs?: number;
  /** How long one SSE stream stays open before the client reconnects (default SSE_MAX_LIFETIME_MS). */
  maxStreamMs?: number;
}

/** Seconds a caller should wait before its first look at a new job's status. */
const RETRY_AFTER_SECONDS = 2;

/**
 * POST /api/jobs/{workflow} — validates against the workflow's contract (and the checks only the edge
 * makes, such as a start date before today), claims the trip for its user, records `queued` and sends
 * to the workflow's queue (message id = job id, session = ordering key) atomically from the caller's
 * view (submit-job.ts), answers 202 with links.
 */
export async function submitJob(request: HttpRequest, deps: JobsApiDeps): Promise<HttpResponseInit> {
  const name = request.params.workflow ?? '';
  if (!isWorkflowName(name)) {
    return json(404, {
      error: 'NotFound',
      message: `unknown workflow "${name}"; the workflows are: ${WORKFLOW_NAMES.join(', ')}`,
      workflows: WORKFLOW_NAMES,
    });
  }
  const definition = workflowNamed(name);
  if (!definition) {
    return json(501, {
      error: 'NotImplemented',
      message: `the ${name} workflow is not available in this build`,
    });
  }
  const who = callerOf(request, deps.services.settings.auth);
  if (!who.ok) return who.response;
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const owned = isRecord(body.value)
    ? ownedBody(body.value, who.caller)
    : { ok: true as const, body: body.value };
  if (!owned.ok) return owned.response;
  const parsed = definition.contract.parse(owned.body, deps.newJobId);
  if (!parsed.ok) return validationFailed(parsed.issues);
  const job = parsed.value;
  trace.getActiveSpan()?.setAttributes(jobAttributes({ ...job, workflow: definition.name }));
  const refused = definition.refuseFor?.(job, who.caller);
  if (refused) return refused;
  const edgeIssues = definition.admit?.(job, deps.now?.() ?? new Date()) ?? [];
  if (edgeIssues.length > 0) return validationFailed(edgeIssues);
  const links = { ...jobLinks(job.jobId), ...(definition.links?.(job) ?? {}) };
  const tripId = definition.ownedTrip?.(job);
  if (tripId !== undefined) {
    const claim = await (await deps.services.tripOwners()).claim(tripId, job.userId);
    // The owner is not named: a trip id must not reveal who else uses it.
    if (!claim.ok) return conflict(`trip ${tripId} belongs to another user; use a new tripId`, { tripId });
  }
  const store = await deps.services.jobStore();
  // Recorded before queueing, so the status link answers at once; the trigger's own `queued`
  // checkpoint (same seq 0) is then a replay. A resubmission of a job that is still queued sends again:
  // the queue's duplicate detection (message id = job id) or the orchestration's instance id drops it.
  const outcome = await submitQueuedJob({
    jobId: job.jobId,
    store,
    queuedUpdate: queuedCheckpoint(definition, job),
    send: () => sendToQueue(deps.services, definition, job),
  });
  if (outcome.outcome === 'conflict') {
    return conflict(`job ${job.jobId} was already submitted and is ${outcome.status}`, {
      jobId: job.jobId,
      ...links,
    });
  }
  if (outcome.outcome === 'failed') {
    const errorId = randomUUID();
    deps.log?.(`[${errorId}] submit of ${job.jobId} failed at ${outcome.stage}: ${outcome.error.message}`);
    return submitFailedResponse(outcome, errorId);
  }
  return json(
    202,
    { jobId: job.jobId, workflow: definition.name, status: 'queued', ...links },
    { Location: absoluteUrl(request.url, links.statusUri), 'Retry-After': String(RETRY_AFTER_SECONDS) },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

async function sendToQueue(
  services: AppServices,
  definition: WorkflowDefinition<JobRequest>,
  job: JobRequest,
): Promise<void> {
  const orderingKey = definition.orderingKey(job);
  const sessionId = queueDefinition(definition.queue).requiresSession
    ? (orderingKey ?? job.userId)
    : undefined;
  const sender = services.queueSender(definition.queue);
  // The send is the trace's producer span; the trigger continues the trace from the properties.
  await withSpan(
    `send ${definition.queue}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'servicebus',
        'messaging.destination.name': definition.queue,
        'messaging.message.id': job.jobId,
      },
    },
    () =>
      sender.sendMessages({
        messageId: job.jobId,
        ...(sessionId ? { sessionId } : {}),
        contentType: 'application/json',
        body: definition.toMessage ? definition.toMessage(job) : job,
        applicationProperties: messageTraceProperties(),
      }),
  );
}

/** GET /api/jobs/{jobId} — the status record joined with (and reconciled against) its orchestration. */
export async function getJob(
  request: HttpRequest,
  client: df.DurableClient,
  deps: JobsApiDeps,
): Promise<HttpResponseInit> {
  const job = await jobFrom(request, deps);
  if (!job.ok) return job.response;
  const { jobId, store, caller } = job;
  const found = await store.getStatus(jobId);
  // Another user's job answers exactly as a job that does not exist: its id reveals nothing.
  if (found && !canAccess(caller, found.userId)) return notFound(`job ${jobId}`);
  const instance = await instanceOf(client, jobId, found);
  if (!found && !instance) return notFound(`job ${jobId}`);
  // The record is gone: only an admin may see what the orchestration alone still tells.
  if (!found && !caller.isAdmin) return notFound(`job ${jobId}`);
  const record = found ? await reconcileJob(store, found, instance) : undefined;
  const output = instance?.output as { result?: unknown } | null | undefined;
  return json(200, {
    ...(record ?? { jobId, status: 'unknown', error: 'the job record expired or was lost' }),
    // What the job produced (a batch's totals and result blob, an analysis report), once it completed.
    ...(record?.status === 'completed' && output?.result !== undefined ? { result: output.result } : {}),
    orchestration: instance
      ? {
          instanceId: instance.instanceId,
          runtimeStatus: instance.runtimeStatus,
          customStatus: instance.customStatus ?? null,
          output: instance.output ?? null,
          createdTime: instance.createdTime,
          lastUpdatedTime: instance.lastUpdatedTime,
        }
      : null,
  });
}

/** The job's orchestration: by the record's job type, or (record gone) by looking in every workflow. */
async function instanceOf(
  client: df.DurableClient,
  jobId: string,
  record: JobStatusRecord | null,
): Promise<df.DurableOrchestrationStatus | undefined> {
  if (record && isWorkflowName(record.jobType))
    return findInstance(client, instanceIdOf(record.jobType, jobId));
  for (const workflow of WORKFLOWS) {
    const instance = await findInstance(client, instanceIdOf(workflow.name, jobId));
    if (instance) return instance;
  }
  return undefined;
}

/**
 * GET /api/jobs/{jobId}/events — SSE: the job's history, then live events, closed after the terminal
 * one or after the stream's lifetime (the client resumes with Last-Event-ID; event-stream.ts says why).
 */
export async function streamJobEvents(request: HttpRequest, deps: JobsApiDeps): Promise<HttpResponseInit> {
  const job = await jobFrom(request, deps);
  if (!job.ok) return job.response;
  const { jobId, store, caller } = job;
  const record = await store.getStatus(jobId);
  if (!record || !canAccess(caller, record.userId)) return notFound(`job ${jobId}`);
  const afterId = request.headers.get('last-event-id') ?? request.query.get('lastEventId') ?? undefined;
  if (afterId !== undefined && !/^\d+-\d+$/.test(afterId)) {
    return validationFailed([
      { path: 'Last-Event-ID', message: 'must be an event id such as 1700000000000-0' },
    ]);
  }
  const hub = await deps.services.channelHub();
  return {
    status: 200,
    headers: SSE_HEADERS,
    body: sseStream((signal) => watchJob(store, hub, jobId, { afterId, signal }), {
      ...(deps.heartbeatMs !== undefined ? { heartbeatMs: deps.heartbeatMs } : {}),
      ...(deps.maxStreamMs !== undefined ? { maxLifetimeMs: deps.maxStreamMs } : {}),
    }),
  };
}

/**
 * DELETE /api/jobs/{jobId} — cancels a job that has not committed its result: status `cancelled`
 * (published on the status channel), orchestration terminated. A job cancelled while queued never
 * starts (its trigger reads the record). 409 when it already finished or is finishing; 404 for
 * another user's job.
 */
export async function cancelJob(
  request: HttpRequest,
  client: df.DurableClient,
  deps: JobsApiDeps,
): Promise<HttpResponseInit> {
  const job = await jobFrom(request, deps);
  if (!job.ok) return job.response;
  const { jobId, store, caller } = job;
  const record = await store.getStatus(jobId);
  if (!record || !canAccess(caller, record.userId)) return notFound(`job ${jobId}`);
  if (isTerminal(record.status))
    return conflict(`job ${jobId} is already ${record.status}`, { status: record.status });
  // The record first: from here on every checkpoint of the job is refused, and the orchestration
  // stops at its next one, whether or not the terminate below reaches it.
  try {
    await store.checkpoint(jobId, { status: 'cancelled', step: 'cancelled', error: 'cancelled by request' });
  } catch (error) {
    if (error instanceof JobCommittedError) return conflict(error.message, { status: 'finishing' });
    if (error instanceof JobAlreadyFinishedError)
      return conflict(`job ${jobId} is already ${error.status}`, { status: error.status });
    throw error;
  }
  if (isWorkflowName(record.jobType)) {
    const instanceId = instanceIdOf(record.jobType, jobId);
    const instance = await findInstance(client, instanceId);
    if (instance && ['Running', 'Pending', 'Suspended'].includes(String(instance.runtimeStatus))) {
      await client.terminate(instanceId, 'cancelled by request');
    }
  }
  return json(202, { jobId, status: 'cancelled' });
}

/** GET /api/trips/{tripId}/schedule — the cached schedule of the caller's trip, or 404. */
export async function getTripSchedule(request: HttpRequest, deps: JobsApiDeps): Promise<HttpResponseInit> {
  const who = callerOf(request, deps.services.settings.auth);
  if (!who.ok) return who.response;
  const tripId = request.params.tripId ?? '';
  // The rule POST applies to a request's tripId, word for word.
  const bad = entityIdField.safeParse(tripId);
  if (!bad.success) return validationFailed([{ path: 'tripId', message: bad.error.issues[0]!.message }]);
  if (!who.caller.isAdmin) {
    const owner = await (await deps.services.tripOwners()).ownerOf(tripId);
    if (!canAccess(who.caller, owner)) return notFound(`schedule of trip ${tripId}`);
  }
  const schedule = await (await deps.services.scheduleCache()).get(Keys.schedule(tripId));
  return schedule === undefined ? notFound(`schedule of trip ${tripId}`) : json(200, schedule);
}

/** The caller and the {jobId} route parameter, checked, with the store to look it up in; or the answer. */
async function jobFrom(
  request: HttpRequest,
  deps: JobsApiDeps,
): Promise<
  | { ok: true; jobId: string; caller: Caller; store: Awaited<ReturnType<AppServices['jobStore']>> }
  | { ok: false; response: HttpResponseInit }
> {
  const who = callerOf(request, deps.services.settings.auth);
  if (!who.ok) return who;
  const jobId = request.params.jobId ?? '';
  const bad = badJobId(jobId);
  if (bad) return { ok: false, response: validationFailed(bad) };
  return { ok: true, jobId, caller: who.caller, store: await deps.services.jobStore() };
}

function badJobId(jobId: string): FieldIssue[] | undefined {
  const problem = jobIdProblem(jobId);
  return problem ? [{ path: 'jobId', message: problem }] : undefined;
}
