/**
 * The job-state layer's errors go straight into logs and 4xx bodies: each names its class, the job
 * and the reason.
 */
import {
  InvalidCheckpointError,
  JobAlreadyFinishedError,
  JobCommittedError,
  JobNotFoundError,
} from '../../../src/lib/jobs/job-errors';

describe('job-state errors', () => {
  it('name the job and the reason', () => {
    const invalid = new InvalidCheckpointError(['progress: must be 0-100', 'step: too long']);
    expect(invalid).toMatchObject({
      name: 'InvalidCheckpointError',
      message: 'Invalid checkpoint: progress: must be 0-100; step: too long',
      problems: ['progress: must be 0-100', 'step: too long'],
    });
    expect(new JobNotFoundError('j-1')).toMatchObject({
      name: 'JobNotFoundError',
      jobId: 'j-1',
      message: 'Job j-1 does not exist (its first checkpoint must carry userId and jobType)',
    });
    expect(new JobAlreadyFinishedError('j-2', 'cancelled')).toMatchObject({
      name: 'JobAlreadyFinishedError',
      jobId: 'j-2',
      status: 'cancelled',
      message: 'Job j-2 is already cancelled; a finished job takes no further checkpoints',
    });
    expect(new JobCommittedError('j-3')).toMatchObject({
      name: 'JobCommittedError',
      jobId: 'j-3',
      message: 'Job j-3 is finishing: its result is committed and can no longer be cancelled',
    });
  });
});
