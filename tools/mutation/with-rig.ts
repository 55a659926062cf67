/**
 * Runs a command (StrykerJS) with the test rig started once around it: the many jest runs Stryker makes
 * reuse the same Redis servers (the global setup sees the rig's variables and starts nothing) instead of
 * starting a 12-node cluster per run. The rig is stopped, and leaked servers reported, when it ends.
 */
import { spawn } from 'node:child_process';
import globalSetup from '../../tests/rig/global-setup';
import globalTeardown from '../../tests/rig/global-teardown';

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (!command) throw new Error('usage: tsx tools/mutation/with-rig.ts <command> [args...]');
  await globalSetup();
  try {
    const child = spawn(command, args, { stdio: 'inherit', env: process.env });
    const stop = () => child.kill('SIGINT');
    process.once('SIGINT', stop).once('SIGTERM', stop);
    return await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  } finally {
    await globalTeardown();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
