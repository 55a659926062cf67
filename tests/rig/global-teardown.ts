import fs from 'node:fs';
import { survivors, type RegisteredProcess } from '../../tools/redis/process-registry';

/**
 * Stops the rig and kills every server a test file started (redis-server, Azurite) that is still
 * running; returns those leftovers (already killed). Stopping the rig's own servers failing does not
 * skip the leftover check.
 */
export async function stopRig(): Promise<RegisteredProcess[]> {
  const rig = globalThis.__TEST_RIG__;
  if (!rig) return [];
  globalThis.__TEST_RIG__ = undefined;
  const stopped = await Promise.allSettled([rig.standalone.stop(), rig.cluster.stop()]);
  const left = survivors(rig.processRegistryDir);
  for (const { pid } of left) process.kill(pid, 'SIGKILL');
  fs.rmSync(rig.processRegistryDir, { recursive: true, force: true });
  const failed = stopped.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return left;
}

export function describeLeftovers(left: RegisteredProcess[]): string {
  return (
    `the test run left ${left.length} server process(es) running (now killed): ` +
    left.map((p) => `${p.label} (pid ${p.pid})`).join(', ')
  );
}

/**
 * Stops the rig, then fails the run if any server a test file started is still running: each is
 * killed and named, so a leak is fixed where it happens instead of piling up.
 */
export default async function globalTeardown(): Promise<void> {
  const left = await stopRig();
  if (left.length > 0) throw new Error(describeLeftovers(left));
}
