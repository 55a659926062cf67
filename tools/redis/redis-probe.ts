import type { ChildProcess } from 'node:child_process';
import net from 'node:net';

/** The `process_id` of whatever Redis answers on the loopback port, or undefined if nothing does. */
export function redisProcessId(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    const done = (pid: number | undefined) => {
      socket.destroy();
      resolve(pid);
    };
    socket.setTimeout(1_000, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.once('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      const match = /process_id:(\d+)/.exec(reply);
      if (match) done(Number(match[1]));
      else if (reply.startsWith('-')) done(undefined); // an error reply: not a Redis we can use
    });
  });
}

/**
 * Resolves once the redis-server with process id `pid` answers on `port`. Checking the process id (not
 * just that the port accepts connections) tells our server from another one that took the port first.
 */
export async function waitForRedisProcess(
  port: number,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const pid = child.pid;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`redis-server ${pid} exited`);
    const answering = await redisProcessId(port);
    if (answering === pid) return;
    if (answering !== undefined)
      throw new Error(`port ${port} is served by another redis-server (${answering})`);
    if (Date.now() > deadline)
      throw new Error(`redis-server ${pid} did not serve port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
