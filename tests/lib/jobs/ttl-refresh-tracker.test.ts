/**
 * When a checkpoint refreshes its job's TTLs: on the first checkpoint of a job, then once `slackMs`
 * has passed since the last refresh; a clock that went back refreshes too; records age out in two
 * generations, so a job not seen for a while is simply refreshed again.
 */
import { TtlRefreshTracker } from '../../../src/lib/jobs/ttl-refresh-tracker';

describe('TtlRefreshTracker', () => {
  it('is due on the first checkpoint of a job and again once the slack has passed, not before', () => {
    const tracker = new TtlRefreshTracker(1_000);
    expect(tracker.isDue('a', 5_000)).toBe(true);
    tracker.refreshed('a', 5_000);
    expect(tracker.isDue('a', 5_000)).toBe(false);
    expect(tracker.isDue('a', 5_999)).toBe(false);
    expect(tracker.isDue('a', 6_000)).toBe(true);
    expect(tracker.isDue('b', 5_500)).toBe(true);
  });

  it('is due when the clock went back before the last refresh', () => {
    const tracker = new TtlRefreshTracker(1_000);
    tracker.refreshed('a', 5_000);
    expect(tracker.isDue('a', 4_999)).toBe(true);
  });

  it('remembers a refresh across one generation change, and forgets it after two', () => {
    const tracker = new TtlRefreshTracker(1_000);
    tracker.refreshed('a', 0); // generation 1 starts at 0
    tracker.refreshed('b', 1_000); // generation 2 starts at 1000: a moves to the previous one
    expect(tracker.isDue('a', 999)).toBe(false);
    tracker.refreshed('b', 1_999); // still generation 2 (999 ms in)
    expect(tracker.isDue('a', 999)).toBe(false);
    tracker.refreshed('c', 2_000); // generation 3: a is gone
    expect(tracker.isDue('a', 999)).toBe(true);
    expect(tracker.isDue('b', 2_500)).toBe(false);
  });

  it('prefers the newer record of a job seen in both generations', () => {
    const tracker = new TtlRefreshTracker(1_000);
    tracker.refreshed('a', 0);
    tracker.refreshed('a', 1_500); // new generation; a's newer record is in the current one
    expect(tracker.isDue('a', 2_000)).toBe(false);
    expect(tracker.isDue('a', 2_500)).toBe(true);
  });
});
