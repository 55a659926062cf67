import type { Timer } from '@azure/functions';
import { startLocalHost } from '../../tools/funchost/host';

describe('local host: timer triggers', () => {
  it('fires a timer on demand with the TimerInfo the Functions host sends', async () => {
    let received: Timer[] = [];
    const host = await startLocalHost({
      load: () =>
        jest.isolateModules(() => {
          received = (require('./apps/timer-app') as { received: Timer[] }).received;
        }),
      quiet: true,
    });
    try {
      await host.fireTimer('everyFiveMinutes', { isPastDue: true });
      await host.fireTimer('everyFiveMinutes');
      expect(received).toHaveLength(2);
      expect(received[0]).toMatchObject({ isPastDue: true });
      expect(received[1]).toMatchObject({ isPastDue: false });
      await expect((async () => host.fireTimer('noSuchTimer'))()).rejects.toThrow(
        /No timer-triggered function named 'noSuchTimer'/,
      );
    } finally {
      await host.stop();
    }
  });

  it('refuses to start with a schedule that is not NCRONTAB, naming the function', async () => {
    await expect(
      startLocalHost({ load: () => jest.isolateModules(() => require('./apps/bad-timer-app')), quiet: true }),
    ).rejects.toThrow(/broken/);
  });
});
