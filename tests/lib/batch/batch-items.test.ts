import fs from 'node:fs';
import path from 'node:path';
import {
  MAX_INLINE_BATCH_ITEMS,
  chunkItems,
  itemJobId,
  parseBatchRequest,
} from '../../../src/lib/batch/batch-items';

const trip = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../samples/trip-request.json'), 'utf8'),
) as Record<string, unknown> & { places: Array<Record<string, unknown>> };
const newJobId = () => 'batch-1';

describe('batch job body', () => {
  it('accepts inline items, naming each by index and a readable id', () => {
    const parsed = parseBatchRequest(
      { operation: 'analyse-preferences', items: [{ userId: 'u1' }, { userId: 'u2', windowDays: 30 }] },
      { newJobId },
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        schemaVersion: 1,
        jobId: 'batch-1',
        operation: 'analyse-preferences',
        items: [
          { index: 0, itemId: 'u1', value: { userId: 'u1' } },
          { index: 1, itemId: 'u2', value: { userId: 'u2', windowDays: 30 } },
        ],
      },
    });
  });

  it('parses generate-trips items with the trip contract and names their jobs after the batch', () => {
    const parsed = parseBatchRequest({ jobId: 'b7', operation: 'generate-trips', items: [trip, trip] });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.value.items!.map((i) => [i.itemId, (i.value as { jobId: string }).jobId])).toEqual([
      [trip.tripId, 'b7.0'],
      [trip.tripId, 'b7.1'],
    ]);
  });

  it('reports every bad inline item by index and field, and accepts none of them', () => {
    const badTrip = { ...trip, places: [{ ...trip.places[0], lat: 91 }, ...trip.places.slice(1)] };
    const parsed = parseBatchRequest(
      { operation: 'generate-trips', items: [trip, badTrip, { ...trip, jobId: 'mine' }, 'nope'] },
      { newJobId },
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues).toEqual([
      { path: 'items[1].places[0].lat', message: expect.stringMatching(/90/) },
      { path: 'items[2].jobId', message: 'is set by the batch (batch-1.2); leave it out' },
      { path: 'items[3]', message: expect.any(String) },
    ]);
    const users = parseBatchRequest(
      { operation: 'analyse-preferences', items: [{ userId: 'a b' }, { user: 'x' }] },
      { newJobId },
    );
    expect(users).toMatchObject({
      ok: false,
      issues: [
        { path: 'items[0].userId' },
        { path: 'items[1].userId', message: 'is required' },
        { path: 'items[1]', message: expect.stringMatching(/user/) },
      ],
    });
  });

  it('takes items or itemsUri, not both or neither, and refuses what cannot run yet', () => {
    const issuesOf = (body: unknown) => {
      const parsed = parseBatchRequest(body, { newJobId });
      return parsed.ok ? [] : parsed.issues;
    };
    expect(issuesOf({ operation: 'analyse-preferences' })).toEqual([
      { path: 'items', message: 'give either items or itemsUri, not both or neither' },
    ]);
    expect(
      issuesOf({
        operation: 'analyse-preferences',
        items: [{ userId: 'u' }],
        itemsUri: 'https://a.example/c/b',
      }),
    ).toEqual([{ path: 'items', message: 'give either items or itemsUri, not both or neither' }]);
    expect(
      issuesOf({ operation: 'refresh-recommendations', items: [{ userId: 'u', destination: 'Seoul' }] }),
    ).toEqual([]);
    expect(issuesOf({ operation: 'explode', items: [{}] })).toEqual([
      {
        path: 'operation',
        message: 'must be one of analyse-preferences, generate-trips, refresh-recommendations',
      },
    ]);
    expect(issuesOf({ operation: 'analyse-preferences', itemsUri: 'ftp://x/y/z' })).toEqual([
      { path: 'itemsUri', message: 'must be an http(s) URL of a blob' },
    ]);
    expect(
      issuesOf({
        operation: 'analyse-preferences',
        items: Array.from({ length: MAX_INLINE_BATCH_ITEMS + 1 }, () => ({ userId: 'u' })),
      }),
    ).toEqual([{ path: 'items', message: 'must hold at most 10000 items (use itemsUri for more)' }]);
    expect(parseBatchRequest({ operation: 'analyse-preferences', items: [{ userId: 'u' }] })).toEqual({
      ok: false,
      issues: [{ path: 'jobId', message: 'is required (no job id generator was given)' }],
    });
  });

  it('keeps item job ids within the id rule', () => {
    expect(itemJobId('b', 12)).toBe('b.12');
    const long = itemJobId('x'.repeat(128), 99_999);
    expect(long).toMatch(/^[0-9a-f]{40}\.99999$/);
  });

  it('chunks in order by BatchSize', () => {
    expect(chunkItems([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunkItems([], 100)).toEqual([]);
    expect(
      chunkItems(
        Array.from({ length: 250 }, (_, i) => i),
        100,
      ).map((c) => c.length),
    ).toEqual([100, 100, 50]);
    expect(() => chunkItems([1], 0)).toThrow(/chunk size/);
  });
});
