import type http from 'node:http';
import type { TimerTriggers } from '../timers';

/**
 * The Functions host's admin route for running a non-HTTP function by hand:
 * `POST /admin/functions/{name}` with a JSON body `{"input": "..."}` (Azure requires the master key
 * in `x-functions-key`; this host checks no keys). As Azure does, it answers 202 Accepted at once and
 * runs the function in the background; 404 for an unknown function, 400 without a JSON body.
 * Timer functions only here (the input is ignored for them, as in Azure); other triggers answer 501
 * naming the gap instead of pretending.
 */
export function adminRoutes(
  timers: TimerTriggers,
  knows: (name: string) => boolean,
  log: (message: string) => void,
) {
  return async (request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<boolean> => {
    const match = /^\/admin\/functions\/([^/]+)$/.exec(url.pathname);
    if (!match || request.method !== 'POST') return false;
    const name = decodeURIComponent(match[1]!);
    const text = await readText(request);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!body || typeof body !== 'object') {
      reply(response, 400, { message: 'The body must be a JSON object such as {"input": ""}' });
      return true;
    }
    if (!knows(name)) {
      reply(response, 404);
      return true;
    }
    if (!timers.names.includes(name)) {
      reply(response, 501, {
        message: `The local host runs only timer functions through /admin/functions; '${name}' is not one`,
      });
      return true;
    }
    void timers
      .fire(name)
      .catch((error: unknown) => log(`Admin invocation of '${name}' failed: ${String(error)}`));
    reply(response, 202);
    return true;
  };
}

function reply(response: http.ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status, { 'Content-Length': '0' });
    response.end();
    return;
  }
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readText(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
