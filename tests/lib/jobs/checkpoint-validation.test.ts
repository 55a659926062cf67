/**
 * The field rules of a checkpoint, checked before Redis is touched: each bounded field at its edges
 * (just inside, just outside), every message naming the field and the reason, unknown fields named.
 */
import { checkpointProblems } from '../../../src/lib/jobs/checkpoint-validation';

const valid = { status: 'processing', step: 'planning_days', progress: 40, seq: 3 };
const problemsOf = (update: Record<string, unknown>) => checkpointProblems('job-1', update);

describe('checkpointProblems', () => {
  it('finds nothing wrong with a valid checkpoint, with every field at an edge that is allowed', () => {
    expect(problemsOf(valid)).toEqual([]);
    expect(
      problemsOf({
        userId: 'u'.repeat(128),
        jobType: `a${'b-9'.repeat(21)}`, // 64 characters
        status: 'cancelled',
        progress: 0,
        step: 's'.repeat(100),
        estimatedTime: 0,
        seq: Number.MAX_SAFE_INTEGER,
        error: 'e'.repeat(4000),
        data: {},
      }),
    ).toEqual([]);
    expect(problemsOf({ progress: 100, seq: 0, userId: 'A-z_0.9:@x' })).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['userId not a string', { userId: 7 }, 'userId must be a string'],
    ['userId empty', { userId: '' }, 'userId must not be empty'],
    ['userId of 129', { userId: 'u'.repeat(129) }, 'userId must be at most 128 characters'],
    ['userId with a space', { userId: 'a b' }, 'userId may only contain letters, digits and _ . : @ -'],
    ['step of 101', { step: 's'.repeat(101) }, 'step must be at most 100 characters'],
    ['step with a quote', { step: 'a"b' }, 'step may only contain letters, digits and _ . : @ -'],
    [
      'jobType of 65',
      { jobType: `a${'b'.repeat(64)}` },
      'jobType must be lower-case letters, digits and -, starting with a letter (at most 64)',
    ],
    [
      'jobType starting with a digit',
      { jobType: '1trip' },
      'jobType must be lower-case letters, digits and -, starting with a letter (at most 64)',
    ],
    [
      'jobType in capitals',
      { jobType: 'Trip' },
      'jobType must be lower-case letters, digits and -, starting with a letter (at most 64)',
    ],
    [
      'an unknown status',
      { status: 'done' },
      'status must be one of queued, processing, completed, failed, cancelled',
    ],
    ['progress below 0', { progress: -0.5 }, 'progress must be between 0 and 100'],
    ['progress above 100', { progress: 100.5 }, 'progress must be between 0 and 100'],
    ['progress as text', { progress: '50' }, 'progress must be between 0 and 100'],
    ['estimatedTime negative', { estimatedTime: -1 }, 'estimatedTime must be whole seconds, 0 or more'],
    ['estimatedTime fractional', { estimatedTime: 1.5 }, 'estimatedTime must be whole seconds, 0 or more'],
    ['estimatedTime as text', { estimatedTime: '3' }, 'estimatedTime must be whole seconds, 0 or more'],
    ['seq negative', { seq: -1 }, `seq must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`],
    [
      'seq unsafe',
      { seq: Number.MAX_SAFE_INTEGER + 1 },
      `seq must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`,
    ],
    ['seq fractional', { seq: 1.5 }, `seq must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`],
    ['seq as text', { seq: '1' }, `seq must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`],
    ['error not a string', { error: 42 }, 'error must be a string'],
    ['error of 4001', { error: 'e'.repeat(4001) }, 'error must be at most 4000 characters'],
    ['data an array', { data: [] }, 'data must be an object'],
    ['data null', { data: null }, 'data must be an object'],
    ['data text', { data: 'x' }, 'data must be an object'],
    ['an unknown field', { colour: 'red' }, 'colour is not a checkpoint field'],
  ])('%s', (_, change, problem) => {
    expect(problemsOf({ ...valid, ...change })).toEqual([problem]);
  });

  it('names every problem at once, the job id first', () => {
    expect(checkpointProblems('', { status: 'x', progress: 101, extra: 1 })).toEqual([
      'jobId must not be empty',
      'status must be one of queued, processing, completed, failed, cancelled',
      'progress must be between 0 and 100',
      'extra is not a checkpoint field',
    ]);
  });

  it('rejects an update that is not an object, and checks the job id too', () => {
    for (const update of [null, [], 'processing', 3])
      expect(checkpointProblems('job-1', update)).toEqual(['update must be an object']);
    expect(checkpointProblems(5, null)).toEqual(['jobId must be a string', 'update must be an object']);
  });

  it('skips a field that is present but undefined', () => {
    expect(problemsOf({ ...valid, error: undefined })).toEqual([]);
  });
});
