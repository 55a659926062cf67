import fs from 'node:fs';
import { survivors } from '../../tools/redis/process-registry';

/**
 * Stops the rig, then fails the run if any server a test file started (redis-server, Azurite) is still
 * running: each is killed here and named, so a leak is fixed where it happens instead of piling up.
 */
export default async function globalTeardown(): Promise<void> {
  const rig = globalThis.__TEST_RIG__;
  if (!rig) return;
  await Promise.all([rig.standalone.stop(), rig.cluster.stop()]);
  const left = survivors(rig.processRegistryDir);
  for (const { pid } of left) process.kill(pid, 'SIGKILL');
  fs.rmSync(rig.processRegistryDir, { recursive: true, force: true });
  if (left.length > 0)
    throw new Error(
      `the test run left ${left.length} server process(es) running (now killed): ` +
        left.map((p) => `${p.label} (pid ${p.pid})`).join(', '),
    );
}
