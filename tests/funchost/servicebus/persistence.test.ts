import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VirtualClock } from '../../../tools/funchost/clock';
import { ServiceBusEmulator } from '../../../tools/funchost/servicebus';
import type { RecordStore } from '../../../tools/funchost/servicebus/persistence/journal';
import {
  FileRecordStore,
  RedisRecordStore,
} from '../../../tools/funchost/servicebus/persistence/record-stores';
import { topology } from '../../../src/lib/messaging/topology';
import { rigStandaloneUrl } from '../../rig/rig-env';
import { uniqueId } from '../../rig/redis-targets';
import { hostSettings } from './harness';

/**
 * The emulation keeps what Service Bus keeps across a restart of the broker: every accepted message
 * (queues, subscriptions, dead-letter queues, scheduled), its delivery count and state, sequence
 * numbers, and the duplicate-detection history. A second emulator on the same store stands for the
 * restarted host; the first is dropped without close(), as a killed process is.
 */
describe.each([
  [
    'Redis',
    (): (() => RecordStore) => {
      const key = `funchost-test:${uniqueId('sb')}:servicebus`;
      return () => new RedisRecordStore(rigStandaloneUrl(), key);
    },
  ],
  [
    'files',
    (): (() => RecordStore) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'funchost-sb-'));
      return () => new FileRecordStore(dir);
    },
  ],
])('Service Bus state persisted in %s', (_kind, storeFactory) => {
  it('survives a killed broker: messages, DLQ, delivery counts, sessions, scheduled, sequence, duplicates', async () => {
    const openStore = storeFactory();
    const clock = new VirtualClock(Date.UTC(2026, 2, 1, 9, 0));
    const stores: RecordStore[] = [];
    const start = async () => {
      const store = openStore();
      stores.push(store);
      const emulator = new ServiceBusEmulator({
        topology,
        settings: hostSettings(),
        clock,
        persistence: store,
      });
      await emulator.restore();
      return emulator;
    };

    const first = await start();
    first.send('ai-trip-generation', { body: { job: 1 }, messageId: 'job-1', sessionId: 'user-a' });
    first.send('ai-trip-generation', { body: { job: 2 }, messageId: 'job-2', sessionId: 'user-b' });
    first.send('ai-events', {
      body: { tripId: 'T1' },
      messageId: 'TripGenerated:job-1',
      applicationProperties: { EventType: 'TripGenerated', At: new Date(Date.UTC(2026, 2, 1)) },
    });
    first.send('ai-recommendation', {
      body: Buffer.from([1, 2, 3]),
      messageId: 'later',
      scheduledEnqueueTimeUtc: new Date(clock.now() + 60_000),
    });
    // One delivery of job-2 abandoned, one message dead-lettered, one locked when the host dies.
    const queue = first.broker.store('ai-trip-generation');
    const [abandoned] = queue.receive(1, 'user-b');
    queue.abandon(abandoned!.lock!.token, { Retry: true });
    const sub = first.broker.store('ai-events/Subscriptions/trip-service-subscription');
    const [dead] = sub.receive(1);
    sub.deadLetter(dead!.lock!.token, { reason: 'Broken', description: 'bad body' });
    queue.receive(1, 'user-a'); // locked: its lock lapses with the host
    await first.persisted();

    const second = await start();
    expect(
      second.peek('ai-trip-generation').map((m) => [m.messageId, m.sessionId, m.deliveryCount, m.lock]),
    ).toEqual([
      ['job-1', 'user-a', 1, undefined],
      ['job-2', 'user-b', 1, undefined],
    ]);
    expect(second.peek('ai-trip-generation')[1]!.applicationProperties).toEqual({ Retry: true });
    expect(second.deadLetters('ai-events/Subscriptions/trip-service-subscription')).toMatchObject([
      { messageId: 'TripGenerated:job-1', deadLetter: { reason: 'Broken', description: 'bad body' } },
    ]);
    const notification = second.peek('ai-events/Subscriptions/notification-service-subscription');
    expect(notification.map((m) => m.applicationProperties)).toEqual([
      { EventType: 'TripGenerated', At: new Date(Date.UTC(2026, 2, 1)) },
    ]);
    // Sessions still deliver in order, one session at a time.
    expect(
      second.broker
        .store('ai-trip-generation')
        .receive(5, 'user-a')
        .map((m) => m.messageId),
    ).toEqual(['job-1']);
    // The duplicate-detection history and the sequence numbers carry on.
    expect(second.send('ai-trip-generation', { body: 1, messageId: 'job-1', sessionId: 'user-a' })).toEqual({
      outcome: 'duplicate',
      messageId: 'job-1',
    });
    const next = second.send('ai-trip-generation', { body: 3, messageId: 'job-3', sessionId: 'user-c' });
    expect(next).toMatchObject({ outcome: 'enqueued', destinations: [{ sequenceNumber: 3 }] });
    // The scheduled message arrives at its time, with its bytes.
    expect(second.peek('ai-recommendation')).toEqual([]);
    clock.advance(60_000);
    const [later] = second.peek('ai-recommendation');
    expect(later).toMatchObject({
      messageId: 'later',
      body: { section: 'data', bytes: Buffer.from([1, 2, 3]) },
    });
    await second.persisted();

    // A lapse of the last allowed delivery, across a restart, dead-letters as Service Bus does.
    const third = await start();
    const q3 = third.broker.store('ai-trip-generation');
    const [job2] = q3.receive(1, 'user-b');
    expect(job2?.deliveryCount).toBe(2);
    await third.persisted();
    const fourth = await start();
    const q4 = fourth.broker.store('ai-trip-generation');
    q4.receive(1, 'user-b'); // third delivery of job-2 (maxDeliveryCount 3), then the host dies
    await fourth.persisted();
    const fifth = await start();
    expect(fifth.deadLetters('ai-trip-generation')).toMatchObject([
      { messageId: 'job-2', deadLetter: { reason: 'MaxDeliveryCountExceeded' } },
    ]);
    expect(fifth.peek('ai-recommendation')).toHaveLength(1);

    await fifth.reset();
    const emptied = await start();
    expect(emptied.peek('ai-trip-generation')).toEqual([]);
    await emptied.close();
    await Promise.all(stores.map((s) => s.close().catch(() => undefined)));
  });
});
