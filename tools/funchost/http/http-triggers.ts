import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { RegisteredFunction } from '../core-api';
import { invoke, triggerBinding, type RpcTypedData } from '../invoker';
import { compileRoute, type RouteMatcher } from './route-template';

interface HttpRoute {
  fn: RegisteredFunction;
  methods: string[];
  matcher: RouteMatcher;
}

/**
 * HTTP triggers, served the way the Functions host serves them to a Node worker that enabled HTTP
 * streaming: the invocation is started with the route parameters and headers as trigger metadata,
 * the request itself is proxied to the worker's own HTTP server (the library matches it by the
 * x-ms-invocation-id header), and the worker's response streams straight back to the caller.
 */
export class HttpTriggers {
  readonly #routes: HttpRoute[];

  constructor(
    functions: Iterable<RegisteredFunction>,
    private readonly routePrefix: string,
    private readonly proxyUri: string | undefined,
    private readonly inputsByType: Record<string, RpcTypedData>,
  ) {
    this.#routes = [...functions]
      .filter((fn) => triggerBinding(fn).type === 'httpTrigger')
      .map((fn) => {
        const binding = fn.metadata.bindings[triggerBinding(fn).name]!;
        const methods = ((binding.methods as string[] | undefined) ?? ['GET', 'POST']).map((m) =>
          m.toUpperCase(),
        );
        return {
          fn,
          methods,
          matcher: compileRoute((binding.route as string | undefined) ?? fn.metadata.name),
        };
      })
      // Literal segments before parameters: "jobs/trip-generation" wins over "jobs/{jobId}".
      .sort((a, b) => literalWeight(b.matcher.template) - literalWeight(a.matcher.template));
  }

  /** Serves the request if a trigger's route and method match; false otherwise. */
  handle(request: IncomingMessage, response: ServerResponse, url: URL): boolean {
    const prefix = this.routePrefix ? `/${this.routePrefix}/` : '/';
    if (!url.pathname.startsWith(prefix)) return false;
    const path = url.pathname.slice(prefix.length);
    const method = (request.method ?? 'GET').toUpperCase();
    const hits = this.#routes
      .map((r) => ({ route: r, params: r.matcher.match(path) }))
      .filter((h) => h.params);
    const hit = hits.find((h) => h.route.methods.includes(method));
    if (!hit) {
      if (hits.length === 0) return false;
      response.writeHead(405, { Allow: [...new Set(hits.flatMap((h) => h.route.methods))].join(', ') });
      response.end();
      return true;
    }
    if (!this.proxyUri) {
      response.writeHead(501, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({
          message:
            'The local host serves HTTP triggers of apps that call app.setup({ enableHttpStream: true })',
        }),
      );
      return true;
    }
    this.#invoke(hit.route.fn, hit.params!, request, response, url);
    return true;
  }

  #invoke(
    fn: RegisteredFunction,
    params: Record<string, string>,
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ) {
    const invocationId = randomUUID();
    const triggerMetadata: Record<string, RpcTypedData> = {
      Headers: { json: JSON.stringify(request.headers) },
      Query: { json: JSON.stringify(Object.fromEntries(url.searchParams)) },
    };
    for (const [name, value] of Object.entries(params)) triggerMetadata[name] = { string: value };
    const fail = (error: unknown) => {
      if (response.headersSent) return response.destroy(error instanceof Error ? error : undefined);
      response.writeHead(500, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ message: error instanceof Error ? error.message : String(error) }));
    };
    void invoke(fn, {
      invocationId,
      triggerData: { http: {} },
      triggerMetadata,
      inputsByType: this.inputsByType,
      respond: true,
    })
      .then((outcome) => outcome.error !== undefined && fail(outcome.error))
      .catch(fail);
    const proxied = http.request(new URL(url.pathname + url.search, this.proxyUri), {
      method: request.method,
      headers: {
        ...request.headers,
        'x-ms-invocation-id': invocationId,
        'x-forwarded-host': request.headers.host ?? url.host,
        'x-forwarded-proto': 'http',
      },
    });
    proxied.on('response', (proxyResponse) => {
      response.writeHead(proxyResponse.statusCode ?? 500, proxyResponse.headers);
      proxyResponse.pipe(response);
    });
    proxied.on('error', fail);
    // A client that goes away (an SSE reader closing) ends the proxied request, so the stream stops.
    response.on('close', () => proxied.destroy());
    request.pipe(proxied);
  }
}

function literalWeight(template: string): number {
  return template.split('/').filter((s) => !s.startsWith('{')).length * 10 - template.split('/').length;
}
