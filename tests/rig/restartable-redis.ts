import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from '../../tools/redis/free-port';
import { launch, stopChild } from '../../tools/redis/redis-process';

/**
 * A private redis-server a fault test may hurt: kill (-9 or TERM) and start again on the same port and
 * directory, with or without persistence, and DEBUG SLEEP (enabled here, off by default in Redis 7).
 * Never the rig's shared servers, which other test files use at the same time.
 */
export interface RestartableRedis {
  readonly url: string;
  readonly port: number;
  kill(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type Persistence = 'none' | 'aof';

export async function startRestartableRedis(persistence: Persistence): Promise<RestartableRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `redis-fault-${persistence}-`));
  const args = ['--enable-debug-command', 'yes'];
  // appendfsync always: an acknowledged write is on disk before the reply, so kill -9 loses nothing.
  if (persistence === 'aof') args.push('--appendonly', 'yes', '--appendfsync', 'always');
  let child: ChildProcess | undefined;
  const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;
  const handle: RestartableRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      child = launch(port, dir, args);
      await waitForPort(port, 10_000);
    },
    async kill(signal = 'SIGKILL') {
      const c = child;
      if (!c || exited(c)) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill(signal);
      });
    },
    async stop() {
      if (child) await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await handle.start();
  return handle;
}
