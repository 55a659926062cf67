/**
 * The checkpoint script's reply, "code status progress seq streamId", read into a result or the error
 * its code stands for (see commands/checkpoint.lua).
 */
import { checkpointResult } from '../../../src/lib/jobs/checkpoint-reply';
import {
  JobAlreadyFinishedError,
  JobCommittedError,
  JobNotFoundError,
} from '../../../src/lib/jobs/job-errors';

describe('checkpointResult', () => {
  it('reads an applied checkpoint with the id of its stream event', () => {
    expect(checkpointResult('job-1', '1 processing 40 3 1700000000000-0')).toEqual({
      outcome: 'applied',
      status: 'processing',
      progress: 40,
      seq: 3,
      eventId: '1700000000000-0',
    });
  });

  it('reads an applied checkpoint without a stream event (no id, or an empty one) as having no event id', () => {
    expect(checkpointResult('job-1', '1 processing 40 3 ')).toEqual({
      outcome: 'applied',
      status: 'processing',
      progress: 40,
      seq: 3,
      eventId: undefined,
    });
    expect(checkpointResult('job-1', '1 processing 40 3')).toEqual({
      outcome: 'applied',
      status: 'processing',
      progress: 40,
      seq: 3,
      eventId: undefined,
    });
  });

  it('reads a replayed and an ignored checkpoint with the state the job is in', () => {
    expect(checkpointResult('job-1', '0 processing 55 7')).toEqual({
      outcome: 'replay',
      status: 'processing',
      progress: 55,
      seq: 7,
    });
    expect(checkpointResult('job-1', '-3 cancelled 20 2')).toEqual({
      outcome: 'ignored',
      status: 'cancelled',
      progress: 20,
      seq: 2,
    });
  });

  it('throws the error each refusal stands for, naming the job', () => {
    const finished = (() => {
      try {
        return checkpointResult('job-1', '-1 completed 100 9');
      } catch (error) {
        return error;
      }
    })();
    expect(finished).toBeInstanceOf(JobAlreadyFinishedError);
    expect(finished).toMatchObject({ jobId: 'job-1', status: 'completed' });
    expect(() => checkpointResult('job-2', '-2 queued 0 0')).toThrow(JobNotFoundError);
    expect(() => checkpointResult('job-2', '-2 queued 0 0')).toThrow('Job job-2 does not exist');
    expect(() => checkpointResult('job-3', '-4 processing 90 5')).toThrow(JobCommittedError);
    expect(() => checkpointResult('job-3', '-4 processing 90 5')).toThrow('Job job-3 is finishing');
  });

  it('throws on a reply it does not know, quoting it', () => {
    expect(() => checkpointResult('job-1', '7 processing 1 1')).toThrow(
      'checkpoint script returned unknown reply "7 processing 1 1"',
    );
  });
});
