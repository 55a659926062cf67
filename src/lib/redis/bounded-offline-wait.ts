import type { Cluster, Command, Redis } from 'ioredis';

type CommandSender = Pick<Redis | Cluster, 'sendCommand'>;

const abandoned = Symbol('abandoned');
type TrackedCommand = Command & { [abandoned]?: boolean };

/**
 * Makes the command timeout a bound on the whole wait, and a promise that a command given up on is
 * never run later, on one connection (a standalone client, or each node of a cluster) or a cluster:
 * - ioredis starts a command's timer when a standalone connection takes it, but a cluster that is
 *   (re)loading its slots keeps commands in its own offline queue with no timer at all; here the
 *   timer starts when the command is first issued, wherever it waits;
 * - a command that timed out while waiting in an offline queue stays queued inside ioredis and is
 *   sent once the connection is back, so a caller told "timed out" could see its write land seconds
 *   later (a `queued` job record appearing after the submit had already failed); so is one that was
 *   in flight when the connection dropped (ioredis resends those). Such a command is not sent again.
 *   (One written before the drop may still have run on the server: that outcome stays unknown.)
 * The cost is one promise reaction per command; checkpoints travel 32 to a command.
 */
export function boundOfflineWait(target: CommandSender, commandTimeoutMs: number): void {
  const send = target.sendCommand.bind(target) as (command: Command, ...rest: unknown[]) => unknown;
  target.sendCommand = ((command: TrackedCommand, ...rest: unknown[]) => {
    if (command[abandoned]) return command.promise;
    if (command[abandoned] === undefined && command.pipelineIndex === undefined) {
      // Commands of a pipeline or MULTI travel together; dropping one would break the rest.
      command[abandoned] = false;
      command.promise.catch(() => {
        if (!command.isResolved) command[abandoned] = true;
      });
      command.setTimeout(commandTimeoutMs);
    }
    return send(command, ...rest);
  }) as CommandSender['sendCommand'];
}
