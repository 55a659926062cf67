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
    // Its own process group, so a stop reaches Stryker's workers and the servers their tests started,
    // and whatever of the group outlives the command is killed with it (a SIGINT to Stryker alone left
    // orphaned workers and their Azurite servers running).
    const child = spawn(command, args, { stdio: 'inherit', env: process.env, detached: true });
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // the group is gone already
      }
    };
    const stop = () => signalGroup('SIGINT');
    process.once('SIGINT', stop).once('SIGTERM', stop);
    code = await new Promise<number>((resolve) => child.once('exit', (exitCode) => resolve(exitCode ?? 1)));
    signalGroup('SIGKILL');
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
