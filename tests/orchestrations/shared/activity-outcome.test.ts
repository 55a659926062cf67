/**
 * What activities hand back: a value; a permanent failure (PermanentError, or a ValidationError of the
 * input) as an outcome the retry policy leaves alone; anything else thrown so the policy retries it.
 */
import { PermanentError, ValidationError } from '../../../src/lib/errors/app-errors';
import { JobFailure, runActivity, unwrap } from '../../../src/orchestrations/shared/activity-outcome';

describe('runActivity', () => {
  it('wraps the value of sync and async work', async () => {
    await expect(runActivity(() => 3)).resolves.toEqual({ ok: true, value: 3 });
    await expect(runActivity(async () => ({ a: 1 }))).resolves.toEqual({ ok: true, value: { a: 1 } });
  });

  it('hands a PermanentError back as a permanent outcome with its message and code', async () => {
    await expect(
      runActivity(() => {
        throw new PermanentError('no day fits', 'NoFeasiblePlan');
      }),
    ).resolves.toEqual({ ok: false, permanent: true, reason: 'no day fits', code: 'NoFeasiblePlan' });
  });

  it('hands a ValidationError back as a permanent ValidationFailed outcome naming the field and reason', async () => {
    const outcome = await runActivity(async () => {
      throw new ValidationError([{ path: 'dataset.uri', message: 'must be a blob URI' }]);
    });
    expect(outcome).toEqual({
      ok: false,
      permanent: true,
      reason: 'Invalid request: dataset.uri: must be a blob URI',
      code: 'ValidationFailed',
    });
  });

  it('throws anything else (as an Error), so the retry policy retries it', async () => {
    const transient = new Error('connection reset');
    await expect(
      runActivity(() => {
        throw transient;
      }),
    ).rejects.toBe(transient);
    const fromString = runActivity(() => {
      throw 'socket closed';
    });
    await expect(fromString).rejects.toBeInstanceOf(Error);
    await expect(fromString).rejects.toThrow('socket closed');
  });
});

describe('unwrap', () => {
  it('returns the value of a successful outcome', () => {
    expect(unwrap({ ok: true, value: 'list' })).toBe('list');
    expect(unwrap({ ok: true, value: null })).toBeNull();
  });

  it('throws a JobFailure carrying the code and reason of a permanent outcome', () => {
    let thrown: unknown;
    try {
      unwrap({
        ok: false,
        permanent: true,
        reason: 'dataset.uri: must be a blob URI',
        code: 'ValidationFailed',
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(JobFailure);
    expect(thrown).toMatchObject({
      name: 'JobFailure',
      code: 'ValidationFailed',
      message: 'dataset.uri: must be a blob URI',
    });
  });
});
