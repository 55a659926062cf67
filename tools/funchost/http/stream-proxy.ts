import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Closes the HTTP stream proxy that @azure/functions starts when the worker asks for its capabilities
 * and the app has called app.setup({ enableHttpStream: true }).
 *
 * In Azure the proxy lives as long as the worker process. The local host starts and stops many times
 * in one process (every test file does), and the library keeps no handle to close the proxy with: each
 * start left one more server listening, and jest ended `npm test` by force-exiting a worker that
 * "failed to exit gracefully". The proxy is found among the process's open handles by the port the
 * library reported in HttpUri (Node has no public list of servers; _getActiveHandles has been there
 * since 0.x and is only read here, in the local host).
 */
export async function closeStreamProxy(httpUri: string | undefined): Promise<void> {
  if (!httpUri) return;
  const port = Number(new URL(httpUri).port);
  const handles = (process as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  const proxy = handles.find(
    (handle): handle is http.Server =>
      handle instanceof http.Server && (handle.address() as AddressInfo | null)?.port === port,
  );
  if (!proxy) return;
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
}
