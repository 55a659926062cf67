import { randomUUID } from 'node:crypto';
import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { withErrorResponses } from '../lib/api/error-response';
import { ApiRoutes } from '../lib/api/job-links';
import {
  cancelJob,
  getJob,
  getTripSchedule,
  streamJobEvents,
  submitJob,
  type JobsApiDeps,
} from '../lib/api/jobs-api';
import { appServices } from '../lib/app-services';
import { contextFromCarrier, SpanKind, withSpan } from '../lib/telemetry/tracing';

const deps = (context?: InvocationContext): JobsApiDeps => ({
  services: appServices(),
  newJobId: () => `job-${randomUUID()}`,
  ...(context ? { log: (message: string) => context.error(message) } : {}),
});

// Reads and writes of the jobs API need a function key in Azure; the local host does not check keys.
// Who the caller is comes from App Service authentication (src/lib/api/caller.ts); every handler
// answers 503/500-with-an-error-id instead of internal text (error-response.ts).
const authLevel = 'function' as const;

// One route for the five workflows (POST /api/jobs/trip-generation, /api/jobs/analysis, ...).
app.http('submitJob', {
  route: ApiRoutes.submitJob,
  methods: ['POST'],
  authLevel,
  // The root of a job's trace (or a child of the caller's, when it sends traceparent).
  handler: withErrorResponses((request, context) =>
    withSpan(
      `POST /api/${ApiRoutes.submitJob}`,
      {
        kind: SpanKind.SERVER,
        parent: contextFromCarrier({ traceparent: request.headers.get('traceparent') ?? undefined }),
        attributes: { 'http.request.method': 'POST', 'http.route': `/api/${ApiRoutes.submitJob}` },
      },
      async (span) => {
        const response = await submitJob(request, deps(context));
        span.setAttribute('http.response.status_code', response.status ?? 200);
        return response;
      },
    ),
  ),
});

app.http('getJob', {
  route: ApiRoutes.job,
  methods: ['GET'],
  authLevel,
  extraInputs: [df.input.durableClient()],
  handler: withErrorResponses((request, context) => getJob(request, df.getClient(context), deps())),
});

app.http('cancelJob', {
  route: ApiRoutes.job,
  methods: ['DELETE'],
  authLevel,
  extraInputs: [df.input.durableClient()],
  handler: withErrorResponses((request, context) => cancelJob(request, df.getClient(context), deps())),
});

app.http('streamJobEvents', {
  route: ApiRoutes.jobEvents,
  methods: ['GET'],
  authLevel,
  handler: withErrorResponses((request) => streamJobEvents(request, deps())),
});

app.http('getTripSchedule', {
  route: ApiRoutes.tripSchedule,
  methods: ['GET'],
  authLevel,
  handler: withErrorResponses((request) => getTripSchedule(request, deps())),
});
