import net from 'node:net';

/** Asks the kernel for a free loopback port (bind to 0, read it back, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the bound port'));
      });
    });
  });
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Resolves once something accepts connections on the loopback port; rejects after `timeoutMs`, or as
 * soon as `gaveUp()` says the process expected to listen is gone.
 */
export function waitForPort(
  port: number,
  timeoutMs: number,
  diagnostics: () => string = () => '',
  gaveUp: () => boolean = () => false,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (gaveUp()) reject(new Error(`gave up waiting for port ${port}`));
        else if (Date.now() > deadline)
          reject(
            new Error(`nothing listened on port ${port} within ${timeoutMs} ms ${diagnostics()}`.trim()),
          );
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}
