import {
  BATCH_RESULTS_CONTAINER,
  BatchResultWriter,
  MAX_LISTED_FAILURES,
  resultBlobName,
  summariseBatch,
  summariseChunk,
  type ItemResult,
} from '../../../src/lib/batch/batch-results';
import {
  readBatchItemsFromBlob,
  resolveItemsBlob,
  type BlobItemOutcome,
} from '../../../src/lib/batch/items-blob';
import { PermanentError } from '../../../src/lib/errors/app-errors';
import { useAzuriteBlob } from '../../rig/azurite';
import { uniqueId } from '../../rig/redis-targets';

const rig = useAzuriteBlob();

async function uploadLines(text: string): Promise<string> {
  const container = rig.blobService.getContainerClient('batch-inputs');
  await container.createIfNotExists();
  const blob = container.getBlockBlobClient(`${uniqueId('items')}.jsonl`);
  await blob.upload(text, Buffer.byteLength(text));
  return blob.url;
}

async function collect(iterable: AsyncIterable<BlobItemOutcome>): Promise<BlobItemOutcome[]> {
  const out: BlobItemOutcome[] = [];
  for await (const outcome of iterable) out.push(outcome);
  return out;
}

describe('batch items from a blob of JSON lines', () => {
  it('yields good lines as items and bad lines as failures by line number, reading on', async () => {
    const uri = await uploadLines(
      ['{"userId":"u1"}', '{"userId":', '', '{"userId":"a b"}', '{"userId":"u2","windowDays":7}', '[]'].join(
        '\r\n',
      ),
    );
    expect(
      await collect(readBatchItemsFromBlob(rig.blobService, uri, 'analyse-preferences', 'job-1')),
    ).toEqual([
      { ok: true, line: 1, item: { index: 0, itemId: 'u1', value: { userId: 'u1' } } },
      { ok: false, index: 1, line: 2, reason: 'line 2: is not JSON' },
      { ok: false, index: 3, line: 4, reason: expect.stringMatching(/^line 4: userId: must be 1-128/) },
      { ok: true, line: 5, item: { index: 4, itemId: 'u2', value: { userId: 'u2', windowDays: 7 } } },
      { ok: false, index: 5, line: 6, reason: expect.stringMatching(/^line 6: \(message\): /) },
    ]);
  });

  it('reads only blobs of its own account, and fails the job for a missing blob', async () => {
    expect(resolveItemsBlob(rig.blobService, 'https://evil.example/devstoreaccount1/c/b')).toEqual({
      ok: false,
      reason: expect.stringMatching(/^must name a blob in this service's storage account/),
    });
    expect(resolveItemsBlob(rig.blobService, `${rig.blobService.url}/only-a-container`)).toMatchObject({
      ok: false,
    });
    const resolved = resolveItemsBlob(rig.blobService, `${rig.blobService.url}/inputs/day%201/items.jsonl`);
    expect(resolved.ok && [resolved.blob.containerName, resolved.blob.name]).toEqual([
      'inputs',
      'day 1/items.jsonl',
    ]);

    const read = (uri: string) =>
      collect(readBatchItemsFromBlob(rig.blobService, uri, 'analyse-preferences', 'j'));
    await expect(read('https://evil.example/x/y')).rejects.toThrow(PermanentError);
    const missing = await read(`${rig.blobService.url}/batch-inputs/nothing.jsonl`).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PermanentError);
    expect((missing as Error).message).toMatch(/^itemsUri names no blob/);
  });
});

describe('batch results blob', () => {
  const result = (index: number, ok: boolean): ItemResult =>
    ok
      ? { index, itemId: `u${index}`, ok, result: { profile: true } }
      : { index, itemId: `u${index}`, ok, reason: `r${index}` };

  it('writes each chunk once, in chunk order, whatever order and however often chunks are written', async () => {
    const jobId = uniqueId('job');
    const writer = new BatchResultWriter(rig.blobService, jobId);
    const chunk0 = [result(0, true), result(1, false)];
    const chunk1 = [result(2, true), result(3, true)];
    const chunk2 = [result(4, false)];
    expect(await writer.writeChunk(2, chunk2)).toEqual({
      total: 1,
      succeeded: 0,
      failed: 1,
      failures: [{ index: 4, itemId: 'u4', reason: 'r4' }],
    });
    await writer.writeChunk(0, [result(0, false), result(1, false)]); // a first attempt...
    await writer.writeChunk(0, chunk0); // ...replaced by its retry
    await expect(writer.commit(3)).rejects.toThrow(/chunk\(s\) 1 have no results written/);
    await writer.writeChunk(1, chunk1);
    await writer.writeChunk(1, chunk1); // a redelivered chunk
    const uri = await writer.commit(3);
    expect(uri).toBe(`${rig.blobService.url}/${BATCH_RESULTS_CONTAINER}/${resultBlobName(jobId)}`);
    expect(await writer.commit(3)).toBe(uri); // committing again changes nothing

    const text = (
      await rig.blobService
        .getContainerClient(BATCH_RESULTS_CONTAINER)
        .getBlobClient(resultBlobName(jobId))
        .downloadToBuffer()
    ).toString('utf8');
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([...chunk0, ...chunk1, ...chunk2]);
  });

  it('sums chunk summaries and lists the first 100 failures by index', () => {
    const chunks = [0, 1, 2].map((c) =>
      summariseChunk(Array.from({ length: 100 }, (_, i) => result(c * 100 + i, (c * 100 + i) % 3 === 0))),
    );
    const summary = summariseBatch(chunks.reverse(), 'https://x/y');
    expect(summary).toMatchObject({ total: 300, succeeded: 100, failed: 200, resultUri: 'https://x/y' });
    expect(summary.failures).toHaveLength(MAX_LISTED_FAILURES);
    expect(summary.failures[0]).toEqual({ index: 1, itemId: 'u1', reason: 'r1' });
    expect(summary.failures.map((f) => f.index)).toEqual(
      [...summary.failures.map((f) => f.index)].sort((a, b) => a - b),
    );
    expect(summary.failures.at(-1)!.index).toBe(149);
  });
});
