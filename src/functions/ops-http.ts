import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { opsRefusal } from '../lib/ops/ops-access';
import { withErrorResponses } from '../lib/api/error-response';
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
const HEARTBEAT_MS = 15_000;

const refusal = (request: HttpRequest) => opsRefusal(request, appServices().settings.auth);

app.http('opsDashboard', {
  route: 'ops',
  methods: ['GET'],
  authLevel,
  handler: withErrorResponses(async (request: HttpRequest): Promise<HttpResponseInit> => {
    const refused = refusal(request);
    if (refused) return refused;
    await opsBoard(); // start following the job channels as soon as someone looks
    return {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
      body: DASHBOARD_HTML,
    };
  }),
});

app.http('opsState', {
  route: 'ops/state',
  methods: ['GET'],
  authLevel,
  handler: withErrorResponses(async (request: HttpRequest): Promise<HttpResponseInit> => {
    const refused = refusal(request);
    if (refused) return refused;
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
  }),
});

app.http('opsEvents', {
  route: 'ops/events',
  methods: ['GET'],
  authLevel,
  handler: withErrorResponses(async (request: HttpRequest): Promise<HttpResponseInit> => {
    const refused = refusal(request);
    if (refused) return refused;
    const board = await opsBoard();
    const encoder = new TextEncoder();
    let stop = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const send = (text: string) => {
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            stop();
          }
        };
        const unlisten = board.listen((job) => send(`event: job\ndata: ${JSON.stringify(job)}\n\n`));
        const heartbeat = setInterval(() => send(': keep-alive\n\n'), HEARTBEAT_MS);
        stop = () => {
          unlisten();
          clearInterval(heartbeat);
        };
        send(': connected\n\n');
      },
      cancel() {
        stop();
      },
    });
    return {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' },
      body,
    };
  }),
});
