import type { JobStateStore } from '../jobs/job-state-store';
import type { JobEventMessage } from '../jobs/job-types';
import type { RedisClient } from '../redis/client-factory';
import { ChannelPatterns } from '../redis/keys';
import { subscribeToPatterns } from '../redis/pattern-subscription';
import type { JobBoard } from './job-board';

/**
 * Feeds the board from the guide's job channels (status, progress, complete, error). A message names
 * the job but not its workflow: the job's record is read once, the first time the job is seen.
 */
export async function feedBoard(
  subscriber: RedisClient,
  store: Pick<JobStateStore, 'getStatus'>,
  board: JobBoard,
): Promise<{ close(): Promise<void> }> {
  const workflows = new Map<string, Promise<string>>();
  const workflowOf = (jobId: string): Promise<string> => {
    const known = board.knows(jobId);
    if (known) return Promise.resolve(known);
    let pending = workflows.get(jobId);
    if (!pending) {
      pending = store
        .getStatus(jobId)
        .then((record) => record?.jobType ?? 'unknown')
        .catch(() => 'unknown')
        .finally(() => workflows.delete(jobId));
      workflows.set(jobId, pending);
    }
    return pending;
  };
  return subscribeToPatterns(
    subscriber,
    [
      ChannelPatterns.jobStatus,
      ChannelPatterns.jobProgress,
      ChannelPatterns.jobComplete,
      ChannelPatterns.jobError,
    ],
    ({ payload }) => {
      let message: JobEventMessage;
      try {
        message = JSON.parse(payload) as JobEventMessage;
      } catch {
        return; // Not the guide's format: not a job this board can show.
      }
      if (typeof message?.jobId !== 'string') return;
      void workflowOf(message.jobId).then((workflow) => board.apply(message, workflow));
    },
  );
}
