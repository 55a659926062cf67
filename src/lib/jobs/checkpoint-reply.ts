import { JobAlreadyFinishedError, JobCommittedError, JobNotFoundError } from './job-errors';
import type { CheckpointResult, JobStatus } from './job-types';

/**
 * Turns the script's reply for one checkpoint, "code status progress seq streamId" (see
 * commands/checkpoint.lua), into its result, or throws the error its code stands for.
 */
export function checkpointResult(jobId: string, reply: string): CheckpointResult {
  const [code, status, progress, seq, streamId] = reply.split(' ') as [
    string,
    JobStatus,
    string,
    string,
    string?,
  ];
  switch (code) {
    case '1':
      return {
        outcome: 'applied',
        status,
        progress: Number(progress),
        seq: Number(seq),
        eventId: streamId || undefined,
      };
    case '0':
      return { outcome: 'replay', status, progress: Number(progress), seq: Number(seq) };
    case '-3':
      return { outcome: 'ignored', status, progress: Number(progress), seq: Number(seq) };
    case '-1':
      throw new JobAlreadyFinishedError(jobId, status);
    case '-2':
      throw new JobNotFoundError(jobId);
    case '-4':
      throw new JobCommittedError(jobId);
    default:
      throw new Error(`checkpoint script returned unknown reply ${JSON.stringify(reply)}`);
  }
}
