import Redis from 'ioredis';
import { connectionErrorLogger } from '../../../src/lib/redis/connection-errors';
import { reconnectDelayMs, REDIS_CONNECTION_POLICY } from '../../../src/lib/redis/connection-policy';
import { REDIS_TARGETS, uniqueId } from '../../rig/redis-targets';

describe('reconnectDelayMs', () => {
  it('starts in milliseconds, doubles, and is capped at 1 s', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 100].map((n) =>
      reconnectDelayMs({ ...REDIS_CONNECTION_POLICY }, n),
    );
    expect(delays).toEqual([10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
  });
});

describe('connectionErrorLogger', () => {
  it('logs the first error of an outage and not the reconnect attempts that follow', () => {
    const lines: string[] = [];
    let now = 0;
    const log = connectionErrorLogger('cache', { quietMs: 1_000, log: (l) => lines.push(l), now: () => now });
    for (let i = 0; i < 50; i++) {
      log(new Error('connect ECONNREFUSED'));
      now += 100; // every 100 ms: one outage
    }
    now += 5_000; // quiet, then a second outage
    log(new Error('read ECONNRESET'));
    expect(lines).toEqual([
      '[redis cache] connection error: connect ECONNREFUSED; reconnecting',
      '[redis cache] connection error: read ECONNRESET (49 more errors before this one were not logged); reconnecting',
    ]);
  });
});

describe.each(REDIS_TARGETS)('client factory on $name: error events', (target) => {
  it('has a listener for every error event, so ioredis never reports one as unhandled', async () => {
    const errors = jest.spyOn(console, 'error');
    const warnings = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const managed = await target.connect({}, uniqueId('errors'));
    try {
      // What ioredis does on an error from an established connection (ECONNRESET, a protocol error):
      // a standalone client reports it through silentEmit (console.error without a listener), a
      // cluster through emit('error') (which throws without a listener) and 'node error'.
      const silentEmit = (Redis.prototype as unknown as { silentEmit: (e: string, a: unknown) => void })
        .silentEmit;
      silentEmit.call(managed.client, 'error', new Error('read ECONNRESET'));
      if (managed.client.isCluster) managed.client.emit('node error', new Error('read ECONNRESET'), 'x');
      expect(errors.mock.calls.filter((a) => String(a[0]).includes('Unhandled error event'))).toEqual([]);
      expect(warnings).toHaveBeenCalledWith(expect.stringContaining('connection error: read ECONNRESET'));
    } finally {
      errors.mockRestore();
      warnings.mockRestore();
      await managed.close();
    }
  });
});
