import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type * as df from 'durable-functions';
import { tripInstanceId } from '../../orchestrations/trip-generation/names';
import { queuedCheckpoint } from '../../orchestrations/trip-generation/progress-plan';
import { findInstance, type ParsedRequest } from '../../orchestrations/trip-generation/intake';
import type { AppServices } from '../app-services';
import type { FieldIssue } from '../errors/app-errors';
import { JobAlreadyFinishedError } from '../jobs/job-errors';
import { isTerminal } from '../jobs/job-types';
import { QueueNames } from '../messaging/topology';
import { jobIdProblem } from '../redis/key-parts';
import { Keys } from '../redis/keys';
import { watchJob } from '../jobs/watch-job';
import { absoluteUrl, conflict, json, notFound, validationFailed } from './http-responses';
import { jobLinks } from './job-links';
import { sseStream } from './sse';

export interface JobsApiDeps {
  services: AppServices;
  parseRequest(body: unknown): ParsedRequest;
  newJobId(): string;
  /** SSE keep-alive comment interval. */
  heartbeatMs?: number;
}

/** POST /api/jobs/trip-generation — validates, queues on ai-trip-generation, answers 202 with links. */
export async function submitTripGeneration(
  request: HttpRequest,
  deps: JobsApiDeps,
): Promise<HttpResponseInit> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return validationFailed([{ path: '', message: 'the body must be a JSON object' }]);
  }
  if (body && typeof body === 'object' && !Array.isArray(body) && !('jobId' in body)) {
    body = { ...body, jobId: deps.newJobId() };
  }
  const parsed = deps.parseRequest(body);
  if (!parsed.ok) return validationFailed(parsed.issues);
  const trip = parsed.value;
  const store = await deps.services.jobStore();
  // Recorded before queueing, so the status link answers at once; the trigger's own `queued`
  // checkpoint (same seq) is then a replay. A resubmission of a job that is still queued sends again:
  // the queue's duplicate detection (message id = job id) drops the copy if the first send landed.
  let queued;
  try {
    queued = await store.checkpoint(trip.jobId, queuedCheckpoint(trip));
  } catch (error) {
    if (!(error instanceof JobAlreadyFinishedError)) throw error;
    queued = { status: error.status, seq: -1 };
  }
  if (queued.status !== 'queued') {
    return conflict(`job ${trip.jobId} was already submitted and is ${queued.status}`, {
      jobId: trip.jobId,
      ...jobLinks(trip.jobId, trip.tripId),
    });
  }
  const sender = deps.services.serviceBus().createSender(QueueNames.tripGeneration);
  try {
    await sender.sendMessages({
      messageId: trip.jobId,
      sessionId: typeof trip.sessionId === 'string' ? trip.sessionId : trip.userId,
      contentType: 'application/json',
      body: trip,
    });
  } finally {
    await sender.close();
  }
  const links = jobLinks(trip.jobId, trip.tripId);
  return json(202, { jobId: trip.jobId, ...links }, { Location: absoluteUrl(request.url, links.statusUri) });
}

/** GET /api/jobs/{jobId} — the status record joined with the orchestration's runtime status. */
export async function getJob(
  request: HttpRequest,
  client: df.DurableClient,
  deps: JobsApiDeps,
): Promise<HttpResponseInit> {
  const job = await jobFrom(request, deps);
  if (!job.ok) return job.response;
  const { jobId, store } = job;
  const [record, instance] = await Promise.all([
    store.getStatus(jobId),
    findInstance(client, tripInstanceId(jobId)),
  ]);
  if (!record && !instance) return notFound(`job ${jobId}`);
  return json(200, {
    ...(record ?? { jobId }),
    orchestration: instance
      ? {
          instanceId: instance.instanceId,
          runtimeStatus: instance.runtimeStatus,
          customStatus: instance.customStatus ?? null,
          createdTime: instance.createdTime,
          lastUpdatedTime: instance.lastUpdatedTime,
        }
      : null,
  });
}

/** GET /api/jobs/{jobId}/events — SSE: the job's history, then live events, closed after the terminal one. */
export async function streamJobEvents(request: HttpRequest, deps: JobsApiDeps): Promise<HttpResponseInit> {
  const jobId = request.params.jobId ?? '';
  const bad = badJobId(jobId);
  if (bad) return validationFailed(bad);
  const store = await deps.services.jobStore();
  if (!(await store.getStatus(jobId))) return notFound(`job ${jobId}`);
  const afterId = request.headers.get('last-event-id') ?? request.query.get('lastEventId') ?? undefined;
  if (afterId !== undefined && !/^\d+-\d+$/.test(afterId)) {
    return validationFailed([
      { path: 'Last-Event-ID', message: 'must be an event id such as 1700000000000-0' },
    ]);
  }
  const hub = await deps.services.channelHub();
  const events = watchJob(store, hub, jobId, { afterId });
  return {
    status: 200,
    headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' },
    body: sseStream(events, { heartbeatMs: deps.heartbeatMs ?? 15_000 }),
  };
}

/** DELETE /api/jobs/{jobId} — cancels a running job: status `cancelled` (published), orchestration terminated. */
export async function cancelJob(
  request: HttpRequest,
  client: df.DurableClient,
  deps: JobsApiDeps,
): Promise<HttpResponseInit> {
  const job = await jobFrom(request, deps);
  if (!job.ok) return job.response;
  const { jobId, store } = job;
  const record = await store.getStatus(jobId);
  if (!record) return notFound(`job ${jobId}`);
  if (isTerminal(record.status))
    return conflict(`job ${jobId} is already ${record.status}`, { status: record.status });
  // The record first: from here on every checkpoint of the job is refused, so nothing overwrites it.
  await store.checkpoint(jobId, { status: 'cancelled', step: 'cancelled', error: 'cancelled by request' });
  const instanceId = tripInstanceId(jobId);
  const instance = await findInstance(client, instanceId);
  if (
    instance &&
    ['Running', 'Pending', 'Suspended', 'ContinuedAsNew'].includes(String(instance.runtimeStatus))
  ) {
    await client.terminate(instanceId, 'cancelled by request');
  }
  return json(202, { jobId, status: 'cancelled' });
}

/** GET /api/trips/{tripId}/schedule — the cached schedule, or 404. */
export async function getTripSchedule(request: HttpRequest, deps: JobsApiDeps): Promise<HttpResponseInit> {
  const tripId = request.params.tripId ?? '';
  let key: string;
  try {
    key = Keys.schedule(tripId);
  } catch (error) {
    return validationFailed([{ path: 'tripId', message: (error as Error).message }]);
  }
  const schedule = await (await deps.services.scheduleCache()).get(key);
  return schedule === undefined ? notFound(`schedule of trip ${tripId}`) : json(200, schedule);
}

/** The {jobId} route parameter, checked, with the store to look it up in; or the 400 to answer. */
async function jobFrom(
  request: HttpRequest,
  deps: JobsApiDeps,
): Promise<
  | { ok: true; jobId: string; store: Awaited<ReturnType<AppServices['jobStore']>> }
  | { ok: false; response: HttpResponseInit }
> {
  const jobId = request.params.jobId ?? '';
  const bad = badJobId(jobId);
  if (bad) return { ok: false, response: validationFailed(bad) };
  return { ok: true, jobId, store: await deps.services.jobStore() };
}

function badJobId(jobId: string): FieldIssue[] | undefined {
  const problem = jobIdProblem(jobId);
  return problem ? [{ path: 'jobId', message: problem }] : undefined;
}
