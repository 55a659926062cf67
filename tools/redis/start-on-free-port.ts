import type { ChildProcess } from 'node:child_process';
import { registerProcess, unregisterProcess } from './process-registry';

/**
 * Starts a server on a port that was free a moment ago. Between asking the kernel for a free port and
 * the server binding it, another process (a parallel test file, another agent's run) may take it; the
 * server then exits, or something else answers on the port. Both are detected by `ready`, and the
 * start is retried on a new port, a bounded number of times.
 */
export interface StartOnFreePortOptions {
  label: string;
  pickPort(): Promise<number>;
  spawnOn(port: number): ChildProcess;
  /** Resolves once `child` itself serves `port`; rejects if it cannot (for example it exited). */
  ready(port: number, child: ChildProcess): Promise<void>;
  attempts?: number;
}

export interface StartedServer {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

const KILL_AFTER_MS = 5_000;

export async function startOnFreePort(options: StartOnFreePortOptions): Promise<StartedServer> {
  const attempts = options.attempts ?? 5;
  const failures: string[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = await options.pickPort();
    const child = options.spawnOn(port);
    registerProcess(child.pid, `${options.label} on port ${port}`);
    const stderr: string[] = [];
    child.stderr?.on('data', (chunk: Buffer | string) => stderr.push(chunk.toString()));
    try {
      await Promise.race([options.ready(port, child), exited(child, stderr)]);
      return { port, child, stop: () => stopChild(child) };
    } catch (error) {
      failures.push(`port ${port}: ${(error as Error).message}`);
      await stopChild(child);
    }
  }
  throw new Error(`could not start ${options.label} after ${attempts} attempts:\n${failures.join('\n')}`);
}

function exited(child: ChildProcess, stderr: string[]): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new Error(`exited before serving (${stderr.join('').trim() || 'no output'})`));
    if (child.exitCode !== null || child.signalCode !== null) fail();
    else child.once('exit', fail);
  });
}

/** SIGTERM, then SIGKILL if the process is still there after 5 s; resolves once it has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    unregisterProcess(child.pid);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    child.once('exit', () => {
      clearTimeout(killer);
      unregisterProcess(child.pid);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
