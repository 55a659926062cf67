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

  it('runs a timer by the admin convention: POST /admin/functions/{name} answers 202 and runs it', async () => {
    let received: Timer[] = [];
    const host = await startLocalHost({
      load: () =>
        jest.isolateModules(() => {
          received = (require('./apps/timer-app') as { received: Timer[] }).received;
        }),
      quiet: true,
    });
    const post = (name: string, body?: string) =>
      fetch(`${host.baseUrl}/admin/functions/${name}`, {
        method: 'POST',
        ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
      });
    try {
      const accepted = await post('everyFiveMinutes', '{"input": ""}');
      expect(accepted.status).toBe(202);
      for (let n = 0; n < 200 && received.length === 0; n++) await new Promise((r) => setTimeout(r, 25));
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ isPastDue: false });
      expect((await post('noSuchTimer', '{}')).status).toBe(404);
      expect((await post('everyFiveMinutes')).status).toBe(400);
      expect(received).toHaveLength(1);
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
