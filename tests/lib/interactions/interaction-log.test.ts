import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import type { Interaction } from '../../../src/lib/contracts/interaction';
import { ValidationError } from '../../../src/lib/errors/app-errors';
import {
  InteractionAppendError,
  InteractionLogWriter,
  readInteractions,
  type MalformedLine,
  type ReadInteractionsOptions,
} from '../../../src/lib/interactions/interaction-log';
import {
  INTERACTIONS_CONTAINER,
  logBlobName,
  processWriterId,
} from '../../../src/lib/interactions/log-layout';
import { startAzuriteBlob, type AzuriteHandle } from '../../rig/azurite';
import { uniqueId } from '../../rig/redis-targets';

let azurite: AzuriteHandle;
let blobService: BlobServiceClient;
let container: ContainerClient;

beforeAll(async () => {
  azurite = await startAzuriteBlob();
  blobService = BlobServiceClient.fromConnectionString(azurite.connectionString);
  container = blobService.getContainerClient(INTERACTIONS_CONTAINER);
});
afterAll(() => azurite.stop());

function row(userId: string, at: string, over: Partial<Interaction> = {}): Interaction {
  return { userId, placeId: 'gyeongbokgung', action: 'view', at, destination: 'Seoul', ...over };
}

async function readAll(options: ReadInteractionsOptions): Promise<Interaction[]> {
  const out: Interaction[] = [];
  for await (const interaction of readInteractions(blobService, options)) out.push(interaction);
  return out;
}

async function blockCounts(prefix: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for await (const blob of container.listBlobsFlat({ prefix })) {
    counts[blob.name] = (
      await container.getAppendBlobClient(blob.name).getProperties()
    ).blobCommittedBlockCount!;
  }
  return counts;
}

const may = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });

describe('interaction log on Azurite', () => {
  it('appends a call as one block per day and reads it back by [from, to), user and destination', async () => {
    const user = uniqueId('u');
    const writerId = uniqueId('w');
    const writer = new InteractionLogWriter(blobService, { writerId });
    const rows = [
      row(user, '2026-05-01T01:00:00+09:00'), // UTC 2026-04-30T16:00
      row(user, '2026-05-01T10:00:00Z', { action: 'rate', rating: 4 }),
      row(user, '2026-05-02T00:00:00Z', { destination: 'Busan' }),
      row(uniqueId('other'), '2026-05-01T11:00:00Z'),
    ];
    const result = await writer.append(uniqueId('call'), rows);
    expect(result.stored).toBe(4);
    expect(result.blobs.sort()).toEqual([
      logBlobName('2026-04-30', writerId, 0),
      logBlobName('2026-05-01', writerId, 0),
      logBlobName('2026-05-02', writerId, 0),
    ]);
    expect(Object.values(await blockCounts(`interactions/2026-05-01/${writerId}/`))).toEqual([1]);

    expect(await readAll({ ...may('2026-04-30T00:00:00Z', '2026-05-03T00:00:00Z'), userId: user })).toEqual(
      rows.slice(0, 3),
    );
    // [from, to): the boundary instant belongs to the next range.
    expect(await readAll({ ...may('2026-04-30T16:00:00Z', '2026-05-02T00:00:00Z'), userId: user })).toEqual(
      rows.slice(0, 2),
    );
    expect(
      await readAll({
        ...may('2026-04-30T00:00:00Z', '2026-05-03T00:00:00Z'),
        userId: user,
        destination: 'Busan',
      }),
    ).toEqual([rows[2]]);
  });

  it('validates every row first: one bad row stores nothing', async () => {
    const user = uniqueId('u');
    const writer = new InteractionLogWriter(blobService, { writerId: uniqueId('w') });
    const bad = [row(user, '2026-06-01T10:00:00Z'), row(user, '2026-06-01T11:00:00Z', { action: 'rate' })];
    const error = await writer.append(uniqueId('call'), bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'interactions[1].rating', message: 'is required when action is rate (1-5)' },
    ]);
    await expect(writer.append('bad call id', [bad[0]!])).rejects.toThrow(/callId/);
    expect(await readAll({ ...may('2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z'), userId: user })).toEqual(
      [],
    );
  });

  it('reads a retried call once, whichever writer took the retry', async () => {
    const user = uniqueId('u');
    const callId = uniqueId('call');
    const rows = Array.from({ length: 5 }, (_, i) =>
      row(user, `2026-07-01T0${i}:00:00Z`, { placeId: `p${i}` }),
    );
    await new InteractionLogWriter(blobService, { writerId: uniqueId('w') }).append(callId, rows);
    await new InteractionLogWriter(blobService, { writerId: uniqueId('w') }).append(callId, rows);
    await new InteractionLogWriter(blobService, { writerId: uniqueId('w') }).append(uniqueId('call'), [
      rows[0]!,
    ]);
    const read = await readAll({ ...may('2026-07-01T00:00:00Z', '2026-07-02T00:00:00Z'), userId: user });
    // The same row in another call is another act of the user: it counts.
    expect(read).toEqual([...rows, rows[0]]);
  });

  it('splits a large call into blocks, rolls to a new blob when one is full, and resumes after a restart', async () => {
    const user = uniqueId('u');
    const writerId = uniqueId('w');
    const limits = { maxBlockBytes: 1024, maxBlocksPerBlob: 3 };
    const rows = Array.from({ length: 40 }, (_, i) =>
      row(user, `2026-08-01T10:${String(i).padStart(2, '0')}:00Z`, { placeId: `place-${i}` }),
    );
    const result = await new InteractionLogWriter(blobService, { writerId, limits }).append(
      uniqueId('c'),
      rows,
    );
    const counts = await blockCounts(`interactions/2026-08-01/${writerId}/`);
    expect(Object.keys(counts).length).toBeGreaterThan(1);
    expect(result.blobs).toEqual(Object.keys(counts));
    for (const count of Object.values(counts)) expect(count).toBeLessThanOrEqual(3);
    for await (const blob of container.listBlobsFlat({ prefix: `interactions/2026-08-01/${writerId}/` })) {
      const text = (await container.getBlobClient(blob.name).downloadToBuffer()).toString('utf8');
      expect(text.endsWith('\n')).toBe(true);
      for (const line of text.trimEnd().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
    }
    const period = may('2026-08-01T00:00:00Z', '2026-08-02T00:00:00Z');
    expect(await readAll({ ...period, userId: user })).toEqual(rows);

    // A restarted process with the same writer id carries on in its latest blob, not in blob 0.
    const lastBlob = Object.keys(counts).sort().at(-1)!;
    const before = counts[lastBlob]!;
    const extra = row(user, '2026-08-01T12:00:00Z');
    const again = await new InteractionLogWriter(blobService, { writerId, limits }).append(uniqueId('c'), [
      extra,
    ]);
    expect(again.blobs).toEqual([before < 3 ? lastBlob : expect.not.stringMatching(lastBlob)]);
    expect(await readAll({ ...period, userId: user })).toEqual([...rows, extra]);
  });

  it('keeps every row of concurrent calls from one writer', async () => {
    const user = uniqueId('u');
    const writer = new InteractionLogWriter(blobService, {
      writerId: uniqueId('w'),
      limits: { maxBlockBytes: 2048, maxBlocksPerBlob: 4 },
    });
    const calls = Array.from({ length: 12 }, (_, c) =>
      Array.from({ length: 6 }, (_, i) => row(user, `2026-09-01T${String(c).padStart(2, '0')}:0${i}:00Z`)),
    );
    await Promise.all(calls.map((rows) => writer.append(uniqueId('call'), rows)));
    const read = await readAll({ ...may('2026-09-01T00:00:00Z', '2026-09-02T00:00:00Z'), userId: user });
    expect(read.map((r) => r.at).sort()).toEqual(
      calls
        .flat()
        .map((r) => r.at)
        .sort(),
    );
  });

  it('fails midway with a retryable error, and the retry with the same callId completes the call', async () => {
    const user = uniqueId('u');
    const writerId = uniqueId('w');
    const writer = new InteractionLogWriter(blobService, { writerId });
    const rows = [row(user, '2026-10-01T10:00:00Z'), row(user, '2026-10-02T10:00:00Z')];
    // Day two's blob name is taken by a block blob: its append is refused by the service.
    await container.createIfNotExists();
    const squatter = container.getBlockBlobClient(logBlobName('2026-10-02', writerId, 0));
    await squatter.upload('x', 1);
    const callId = uniqueId('call');
    const error = await writer.append(callId, rows).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InteractionAppendError);
    expect((error as InteractionAppendError).blocksWritten).toBe(1);
    expect((error as Error).message).toMatch(/retry with the same callId/);
    const period = { ...may('2026-10-01T00:00:00Z', '2026-10-03T00:00:00Z'), userId: user };
    expect(await readAll(period)).toEqual([rows[0]]);

    await squatter.delete();
    await writer.append(callId, rows);
    expect(await readAll(period)).toEqual(rows);
  });

  it('skips and reports malformed lines without stopping', async () => {
    const user = uniqueId('u');
    await container.createIfNotExists();
    const good = (at: string, i: number) =>
      JSON.stringify({ v: 1, callId: 'hand', i, interaction: row(user, at) });
    const lines = [
      good('2026-11-01T10:00:00Z', 0),
      '{not json',
      JSON.stringify({ v: 1, callId: 'hand', i: 1, interaction: row(user, 'noon') }),
      JSON.stringify({ v: 7, callId: 'hand', i: 2, interaction: row(user, '2026-11-01T10:00:00Z') }),
      '',
      '[1,2]',
      good('2026-11-01T11:00:00Z', 3),
    ];
    const name = logBlobName('2026-11-01', uniqueId('hand'), 0);
    await container.getBlockBlobClient(name).upload(lines.join('\n'), Buffer.byteLength(lines.join('\n')));
    await container.getBlockBlobClient('interactions/2026-11-01/stray.txt').upload('hello', 5);
    const problems: MalformedLine[] = [];
    const read = await readAll({
      ...may('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z'),
      userId: user,
      onMalformed: (p) => problems.push(p),
    });
    expect(read.map((r) => r.at)).toEqual(['2026-11-01T10:00:00Z', '2026-11-01T11:00:00Z']);
    // The day's listing comes first (a stray name is found there), then each blob line by line.
    expect(problems).toEqual([
      { blobName: 'interactions/2026-11-01/stray.txt', lineNumber: 0, reason: 'is not a log blob (name)' },
      { blobName: name, lineNumber: 2, reason: 'is not JSON' },
      {
        blobName: name,
        lineNumber: 3,
        reason: expect.stringMatching(/^interaction\.at: must be an ISO 8601/),
      },
      { blobName: name, lineNumber: 4, reason: 'has unknown line version 7' },
      { blobName: name, lineNumber: 6, reason: 'is not a JSON object' },
    ]);
  });
});

describe('processWriterId', () => {
  it('names the instance and the process, within the id rule', () => {
    expect(processWriterId({ WEBSITE_INSTANCE_ID: 'a1b2 c3{d}' }, 42)).toBe('a1b2-c3-d--42');
    expect(processWriterId({}, 7)).toMatch(/^[A-Za-z0-9_.:-]+-7$/);
  });
});
