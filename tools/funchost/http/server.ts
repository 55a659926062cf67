import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DurableBackend } from '../durable/backend';
import { handleDurableRoute } from './durable-routes';
import type { HttpTriggers } from './http-triggers';

export interface HostServer {
  baseUrl: string;
  /** Serves the app's HTTP triggers once they are known (before that, only the Durable routes answer). */
  setTriggers(triggers: HttpTriggers): void;
  /** Serves the admin routes (`/admin/functions/{name}`, admin-routes.ts) once the timers are known. */
  setAdmin(admin: AdminHandler): void;
  close(): Promise<void>;
}

/**
 * The host's one HTTP port: the Durable client routes (`/durabletask/`, the client's rpcBaseUrl),
 * the public Durable webhooks (`/runtime/webhooks/durabletask/`) and the app's HTTP triggers.
 */
export type AdminHandler = (
  request: http.IncomingMessage,
  response: http.ServerResponse,
  url: URL,
) => Promise<boolean>;

export async function listenHostServer(durable: DurableBackend, port: number): Promise<HostServer> {
  let triggers: HttpTriggers | undefined;
  let admin: AdminHandler | undefined;
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://local');
    const durablePath = ['/durabletask/', '/runtime/webhooks/durabletask/']
      .filter((prefix) => url.pathname.startsWith(prefix))
      .map((prefix) => url.pathname.slice(prefix.length))[0];
    const handled =
      durablePath !== undefined
        ? handleDurableRoute(durable, request, response, durablePath, url.searchParams)
        : url.pathname.startsWith('/admin/') && admin
          ? admin(request, response, url)
          : Promise.resolve(triggers?.handle(request, response, url) ?? false);
    handled
      .then((done) => {
        if (done) return;
        response.writeHead(404, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ message: `No route for ${request.method} ${url.pathname}` }));
      })
      .catch((error: unknown) => {
        if (response.headersSent) return response.destroy();
        response.writeHead(500, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ message: error instanceof Error ? error.message : String(error) }));
      });
  });
  // Idle keep-alive sockets outlive the clients' own (the Durable client's axios, fetch): with Node's
  // 5 s default a client could reuse a socket the server was closing and get ECONNRESET under load
  // (seen with bench:e2e at 1,000 concurrent jobs). The backlog takes a burst of 1,000 connections.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setTriggers: (t) => (triggers = t),
    setAdmin: (a) => (admin = a),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
