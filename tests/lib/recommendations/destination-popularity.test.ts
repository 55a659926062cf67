import type { Interaction } from '../../../src/lib/contracts/interaction';
import { InteractionLogWriter } from '../../../src/lib/interactions/interaction-log';
import {
  DestinationPopularity,
  POPULARITY_CACHE_MS,
  POPULARITY_WINDOW_DAYS,
} from '../../../src/lib/recommendations/destination-popularity';
import { useAzuriteBlob } from '../../rig/azurite';
import { uniqueId } from '../../rig/redis-targets';

/**
 * The popularity fallback against a real interaction log in Azurite: distinct users whose summed
 * weights are positive, per destination as the catalog names them, within the window; one read of
 * the log serves every destination until the cache time passes.
 */
const rig = useAzuriteBlob();

const NOW = Date.parse('2026-12-03T12:00:00Z');
const day = (daysAgo: number) => new Date(NOW - daysAgo * 86400_000).toISOString();

function row(
  userId: string,
  placeId: string,
  destination: string,
  over: Partial<Interaction> = {},
): Interaction {
  return { userId, placeId, destination, action: 'save', at: day(1), ...over };
}

describe('destination popularity', () => {
  it('counts distinct users who liked each place, per destination, within the window, in one read', async () => {
    const writer = new InteractionLogWriter(rig.blobService, { writerId: uniqueId('w') });
    await writer.append(uniqueId('call'), [
      row('u1', 'palace', 'Seoul'),
      row('u2', 'palace', ' seoul '), // the same destination as the catalog compares names
      row('u2', 'palace', 'Seoul', { action: 'view' }), // a second act of u2: still one user
      row('u3', 'palace', 'Seoul', { action: 'rate', rating: 1 }), // disliked: not counted
      row('u4', 'market', 'Seoul', { action: 'view', at: day(POPULARITY_WINDOW_DAYS + 2) }), // too old
      row('u5', 'market', 'Seoul', { action: 'recommendation_dismiss' }),
      row('u5', 'market', 'Seoul', { action: 'visit' }), // -2 + 5: liked
      row('u1', 'beach', 'Busan'),
    ]);
    let reads = 0;
    let now = NOW;
    const popularity = new DestinationPopularity(
      () => {
        reads += 1;
        return rig.blobService;
      },
      () => now,
    );
    const [seoul, busan, again] = await Promise.all([
      popularity.likesIn('Seoul'),
      popularity.likesIn('Busan'),
      popularity.likesIn('SEOUL'),
    ]);
    expect(Object.fromEntries(seoul)).toEqual({ palace: 2, market: 1 });
    expect(Object.fromEntries(busan)).toEqual({ beach: 1 });
    expect(again).toEqual(seoul);
    expect(Object.fromEntries(await popularity.likesIn('Jeju'))).toEqual({});
    expect(reads).toBe(1);

    await writer.append(uniqueId('call'), [row('u6', 'beach', 'Busan')]);
    now += POPULARITY_CACHE_MS - 1;
    expect(Object.fromEntries(await popularity.likesIn('Busan'))).toEqual({ beach: 1 });
    expect(reads).toBe(1);
    now += 1;
    expect(Object.fromEntries(await popularity.likesIn('Busan'))).toEqual({ beach: 2 });
    expect(reads).toBe(2);
  });

  it('does not keep a failed read: the next caller reads again', async () => {
    let fail = true;
    const popularity = new DestinationPopularity(
      () => {
        if (fail) throw new Error('storage unreachable');
        return rig.blobService;
      },
      () => NOW,
    );
    await expect(popularity.likesIn('Seoul')).rejects.toThrow('storage unreachable');
    fail = false;
    expect((await popularity.likesIn('Seoul')).get('palace')).toBe(2);
  });
});
