import type { IncomingMessage, ServerResponse } from 'node:http';
import { DurableError, type DurableBackend } from '../durable/backend';
import { TERMINAL, statusJson } from '../durable/instance';
import { booleanParam, historyView, listInstances, statusesParam, timeParam } from './durable-queries';

/**
 * The Durable Functions HTTP API: the routes DurableClient calls under its rpcBaseUrl
 * (`/durabletask/...`) and the public webhook routes (`/runtime/webhooks/durabletask/...`) that
 * createCheckStatusResponse links to, with the documented status codes (local-host-contract.md §2).
 */
export async function handleDurableRoute(
  backend: DurableBackend,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<boolean> {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const method = request.method ?? 'GET';
  try {
    if (parts[0] === 'orchestrators' && method === 'POST' && parts[1]) {
      const body = await readBody(request);
      const instanceId = parts[2] ?? randomId();
      backend.startNew(parts[1], { instanceId, input: body === '' ? undefined : JSON.parse(body) });
      await backend.flush();
      return send(response, 202, { id: instanceId });
    }
    // Azure answers these; the local host does not implement them, so it says which feature is missing.
    if (parts[0] === 'entities')
      return send(response, 501, { message: 'Durable entities are not supported by the local host' });
    if (parts[0] !== 'instances') return false;
    const instanceId = parts[1];
    if (!instanceId && method === 'GET') {
      const token = request.headers['x-ms-continuation-token'];
      const page = listInstances(backend.list(), query, typeof token === 'string' ? token : undefined);
      return send(response, 200, page.items, page.next ? { 'x-ms-continuation-token': page.next } : {});
    }
    if (!instanceId && method === 'DELETE') {
      // HttpApiHandler.cs: createdTimeFrom is required, createdTimeTo defaults to now, 404 when nothing matched.
      const createdFrom = timeParam(query, 'createdTimeFrom');
      if (createdFrom === undefined)
        return send(response, 400, { message: "Please provide value for 'createdTimeFrom' parameter." });
      const deleted = backend.purgeWhere({
        createdFrom,
        createdTo: timeParam(query, 'createdTimeTo') ?? Date.now(),
        statuses: statusesParam(query),
      });
      await backend.flush();
      return deleted === 0
        ? send(response, 404, undefined)
        : send(response, 200, { instancesDeleted: deleted });
    }
    if (!instanceId) return false;
    const action = parts[2];
    if (!action && method === 'GET') {
      const instance = backend.get(instanceId);
      if (!instance) return send(response, 404, { message: `No instance with ID '${instanceId}'` });
      const status: Record<string, unknown> = { ...statusJson(instance) };
      if (!booleanParam(query, 'showInput', true)) status.input = null;
      if (booleanParam(query, 'showHistory', false)) {
        status.historyEvents = historyView(instance, {
          showHistoryOutput: booleanParam(query, 'showHistoryOutput', false),
        });
      }
      if (!TERMINAL.includes(instance.runtimeStatus)) {
        // 202 with the absolute status URL to poll and Retry-After: 5, as the extension answers.
        return send(response, 202, status, { Location: absoluteRequestUrl(request), 'Retry-After': '5' });
      }
      const failedAs500 =
        instance.runtimeStatus === 'Failed' &&
        booleanParam(query, 'returnInternalServerErrorOnFailure', false);
      return send(response, failedAs500 ? 500 : 200, status);
    }
    if (!action && method === 'DELETE') {
      const deleted = backend.purge(instanceId);
      await backend.flush();
      return deleted ? send(response, 200, { instancesDeleted: deleted }) : send(response, 404, undefined);
    }
    const reason = query.get('reason') ?? '';
    if (method === 'POST' && action === 'raiseEvent' && parts[3]) {
      // HttpApiHandler.cs (azure-functions-durable-extension) refuses any other content type.
      if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
        return send(response, 400, { message: 'Only application/json request content is supported' });
      }
      const body = await readBody(request);
      backend.raiseEvent(instanceId, parts[3], body === '' ? undefined : JSON.parse(body));
      await backend.flush();
      return send(response, 202, undefined);
    }
    if (method === 'POST' && (action === 'terminate' || action === 'suspend' || action === 'resume')) {
      backend[action](instanceId, reason);
      await backend.flush();
      return send(response, 202, undefined);
    }
    if (method === 'POST' && action === 'restart')
      return send(response, 501, { message: 'restart is not supported by the local host' });
    if (method === 'POST' && action === 'rewind')
      return send(response, 501, { message: 'rewind is not supported locally' });
    return false;
  } catch (error) {
    if (error instanceof DurableError) return send(response, error.status, { message: error.message });
    if (error instanceof SyntaxError)
      return send(response, 400, { message: `The body is not JSON: ${error.message}` });
    throw error;
  }
}

/** The request's own URL, absolute (Azure's Location is request.RequestUri). */
function absoluteRequestUrl(request: IncomingMessage): string {
  return new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`).toString();
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): true {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(body === undefined ? '' : JSON.stringify(body));
  return true;
}

export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function randomId(): string {
  return Math.random().toString(16).slice(2) + Date.now().toString(16);
}

/** The durableClient binding data the real extension hands to functions (contract §2). */
export function durableClientData(baseUrl: string, taskHubName: string) {
  const hook = `${baseUrl}/runtime/webhooks/durabletask`;
  const q = `taskHub=${taskHubName}&connection=Storage`;
  const instance = `${hook}/instances/INSTANCEID`;
  return {
    taskHubName,
    creationUrls: {
      createNewInstancePostUri: `${hook}/orchestrators/{functionName}[/{instanceId}]?${q}`,
      createAndWaitOnNewInstancePostUri: `${hook}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${q}`,
    },
    managementUrls: {
      id: 'INSTANCEID',
      statusQueryGetUri: `${instance}?${q}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${q}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${q}`,
      rewindPostUri: `${instance}/rewind?reason={text}&${q}`,
      purgeHistoryDeleteUri: `${instance}?${q}`,
      restartPostUri: `${instance}/restart?${q}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${q}`,
      resumePostUri: `${instance}/resume?reason={text}&${q}`,
    },
    baseUrl: hook,
    requiredQueryStringParameters: q,
    rpcBaseUrl: `${baseUrl}/durabletask/`,
  };
}
