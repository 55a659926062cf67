/** Which Durable runtime statuses count as finished (the intake starts nothing over a running one). */
import { isFinishedRuntime } from '../../../src/orchestrations/kit/instances';

describe('isFinishedRuntime', () => {
  it.each(['Completed', 'Failed', 'Terminated', 'Canceled'])('%s is finished', (status) => {
    expect(isFinishedRuntime(status as never)).toBe(true);
  });

  it.each(['Running', 'Pending', 'ContinuedAsNew', 'Suspended', undefined])(
    '%s is not finished',
    (status) => {
      expect(isFinishedRuntime(status as never)).toBe(false);
    },
  );
});
