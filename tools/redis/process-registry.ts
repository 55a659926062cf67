import fs from 'node:fs';
import path from 'node:path';

/**
 * A directory of pid files, one per server process a test run starts (redis-server, Azurite), so the
 * run's teardown can check that none outlived it. Jest workers inherit the directory from the global
 * setup through PROCESS_REGISTRY_ENV; outside a test run (demo, benchmarks) nothing is recorded.
 */
export const PROCESS_REGISTRY_ENV = 'TEST_PROCESS_REGISTRY_DIR';

export interface RegisteredProcess {
  pid: number;
  label: string;
}

function registryDir(): string | undefined {
  return process.env[PROCESS_REGISTRY_ENV] || undefined;
}

export function registerProcess(pid: number | undefined, label: string): void {
  const dir = registryDir();
  if (!dir || pid === undefined) return;
  fs.writeFileSync(path.join(dir, String(pid)), label);
}

export function unregisterProcess(pid: number | undefined): void {
  const dir = registryDir();
  if (!dir || pid === undefined) return;
  fs.rmSync(path.join(dir, String(pid)), { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Registered processes still running: what a test file started and did not stop. */
export function survivors(dir: string): RegisteredProcess[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((name) => ({ pid: Number(name), label: fs.readFileSync(path.join(dir, name), 'utf8') }))
    .filter((entry) => Number.isInteger(entry.pid) && isAlive(entry.pid));
}
