import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { opsRefusal } from '../lib/ops/ops-access';
import { withErrorResponses } from '../lib/api/error-response';
import { aborted, eventStream, SSE_HEADERS } from '../lib/api/event-stream';
import { appServices } from '../lib/app-services';
import { cacheStats } from '../lib/cache/cache-stats';
import { checkRedisHealth } from '../lib/health/redis-health';
import { readQueueCounts } from '../lib/messaging/queue-stats';
import { DASHBOARD_HTML } from '../lib/ops/dashboard-page';
import { opsBoard } from '../lib/ops/ops-board';
import { modelPanelsFromRegistry, readModelPanels } from '../lib/ops/model-panels';
import { opsState } from '../lib/ops/ops-state';
import { sharedRedis } from '../lib/redis/shared-clients';

/**
 * The operations dashboard, for administrators only. In Azure two gates: `authLevel: 'admin'` (the
 * host's master key, `/api/ops?code=<master key>`) and the signed-in caller's admin role
 * (AUTH_ADMIN_ROLE, from App Service authentication). Locally (AUTH_ENABLED=false) every caller is the
 * local admin and the local host checks no keys. `npm run dev` prints its URL.
 */
const authLevel = 'admin' as const;

/** A GET route of the dashboard: both gates, then the handler; errors as every handler's are. */
function opsRoute(name: string, route: string, handler: () => Promise<HttpResponseInit>): void {
  app.http(name, {
    route,
    methods: ['GET'],
    authLevel,
    handler: withErrorResponses(
      async (request: HttpRequest) => opsRefusal(request, appServices().settings.auth) ?? handler(),
    ),
  });
}

opsRoute('opsDashboard', 'ops', async () => {
  await opsBoard(); // start following the job channels as soon as someone looks
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    body: DASHBOARD_HTML,
  };
});

opsRoute('opsState', 'ops/state', async () => {
  const services = appServices();
  const board = await opsBoard();
  const state = await opsState({
    board,
    queues: () => readQueueCounts(services.serviceBusAdmin()),
    redis: async () => checkRedisHealth((await sharedRedis(services.settings)).client),
    caches: () => cacheStats.snapshot(),
    models: () =>
      readModelPanels(async () => {
        const serving = await services.modelServing();
        return modelPanelsFromRegistry(serving.registry, await serving.modelNames());
      }),
  });
  return { status: 200, headers: { 'cache-control': 'no-store' }, jsonBody: state };
});

opsRoute('opsEvents', 'ops/events', async () => {
  const board = await opsBoard();
  const body = eventStream(async (send, signal) => {
    send(': connected\n\n');
    const unlisten = board.listen((job) => send(`event: job\ndata: ${JSON.stringify(job)}\n\n`));
    await aborted(signal);
    unlisten();
  });
  return { status: 200, headers: SSE_HEADERS, body };
});
