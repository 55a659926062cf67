/**
 * Runs a command (StrykerJS) with the test rig started once around it: the many jest runs Stryker makes
 * reuse the same Redis servers (the global setup sees the rig's variables and starts nothing) instead of
 * starting a 12-node cluster per run. When the command ends the rig is stopped and any server a test
 * file left behind is killed and reported, without changing the command's exit code: a mutant can make
 * a test skip its cleanup, and a finished Stryker run (its reports written) is not a failure for that.
 * `npm test` keeps the strict check (tests/rig/global-teardown.ts fails the run on a leftover).
 */
import { spawn } from 'node:child_process';
import globalSetup from '../../tests/rig/global-setup';
import { describeLeftovers, stopRig } from '../../tests/rig/global-teardown';

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (!command) throw new Error('usage: tsx tools/mutation/with-rig.ts <command> [args...]');
  await globalSetup();
  let code = 1;
  try {
    const child = spawn(command, args, { stdio: 'inherit', env: process.env });
    const stop = () => child.kill('SIGINT');
    process.once('SIGINT', stop).once('SIGTERM', stop);
    code = await new Promise<number>((resolve) => child.once('exit', (exitCode) => resolve(exitCode ?? 1)));
    return code;
  } finally {
    try {
      const left = await stopRig();
      if (left.length > 0) console.warn(`with-rig: ${describeLeftovers(left)}`);
    } catch (error) {
      console.warn('with-rig: stopping the rig failed (exit code left as the command set it):', error);
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
