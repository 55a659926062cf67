import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { HostProcessOptions, HostProcessReady } from './host-process';

export interface HostProcess extends HostProcessReady {
  /** kill -9: nothing is flushed or closed. */
  kill(): Promise<void>;
  /** SIGTERM: the host stops cleanly. */
  terminate(): Promise<number | null>;
  /** What the process wrote to stderr (for a failing test's message). */
  log(): string;
}

const SCRIPT = path.join(__dirname, 'host-process.ts');

/** Starts the real app on the local host in a child process and waits until it serves. */
export function startHostProcess(options: HostProcessOptions, timeoutMs = 60_000): Promise<HostProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', SCRIPT, JSON.stringify(options)],
    {
      cwd: path.resolve(__dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FUNCHOST_VERBOSE: '' },
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The host process did not start in ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{"baseUrl"'));
      if (!line) return;
      clearTimeout(timer);
      resolve({
        ...(JSON.parse(line) as HostProcessReady),
        kill: async () => {
          child.kill('SIGKILL');
          await exited;
        },
        terminate: async () => {
          child.kill('SIGTERM');
          return exited;
        },
        log: () => stderr,
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The host process exited (${code}) before it served:\n${stderr}`));
    });
  });
}
