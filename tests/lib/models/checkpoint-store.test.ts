import { BlobServiceClient } from '@azure/storage-blob';
import { CheckpointStore } from '../../../src/lib/models/checkpoint-store';
import { initialTrainingState, trainEpoch } from '../../../src/lib/models/training';
import { startAzuriteBlob, type AzuriteHandle } from '../../rig/azurite';
import { bytesOf, smallPlantedData } from './model-fixtures';

jest.setTimeout(60_000);

let azurite: AzuriteHandle;
beforeAll(async () => (azurite = await startAzuriteBlob()));
afterAll(() => azurite?.stop());

describe('checkpoint store on Azurite', () => {
  it('a run interrupted after any epoch resumes from Blob to the same final factors', async () => {
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
      `ckpt-${Date.now()}`,
    );
    await container.createIfNotExists();
    const store = new CheckpointStore(container);
    const { matrix } = smallPlantedData();
    const hyper = { algorithm: 'bpr' as const, factors: 8, seed: 3 };

    let reference = initialTrainingState(matrix, hyper);
    for (let e = 0; e < 4; e++) reference = await trainEpoch(reference, matrix);

    // "Activities": each loads the latest checkpoint (or starts), runs one epoch, saves.
    const step = async () => {
      const state = (await store.load('m', 'run-1')) ?? initialTrainingState(matrix, hyper);
      const next = await trainEpoch(state, matrix);
      return { next, saved: await store.save('m', 'run-1', next) };
    };
    for (let e = 0; e < 2; e++) expect((await step()).saved).toBe('saved');
    // A late duplicate of epoch 1 must not put the run back.
    let stale = initialTrainingState(matrix, hyper);
    stale = await trainEpoch(stale, matrix);
    expect(await store.save('m', 'run-1', stale)).toBe('kept-newer');
    for (let e = 0; e < 2; e++) await step();
    // Read back by another process (a fresh store has nothing remembered): the bytes in Blob.
    const final = (await new CheckpointStore(container).load('m', 'run-1'))!;
    expect(final.epoch).toBe(4);
    expect(bytesOf(final.userFactors).equals(bytesOf(reference.userFactors))).toBe(true);
    expect(bytesOf(final.itemFactors).equals(bytesOf(reference.itemFactors))).toBe(true);
    expect(await store.load('m', 'other-run')).toBeNull();
  });

  it('reuses the state it wrote while the blob is unchanged, and reads the blob once another writer changed it', async () => {
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
      `ckpt-reuse-${Date.now()}`,
    );
    await container.createIfNotExists();
    const { matrix } = smallPlantedData();
    const hyper = { algorithm: 'als' as const, factors: 8, seed: 5 };
    const here = new CheckpointStore(container);
    const elsewhere = new CheckpointStore(container);
    const first = await trainEpoch(initialTrainingState(matrix, hyper), matrix);
    await here.save('m', 'run-2', first);
    expect(await here.load('m', 'run-2')).toBe(first); // no download: the very object written
    const fromBlob = (await elsewhere.load('m', 'run-2'))!;
    expect(fromBlob).not.toBe(first);
    expect(bytesOf(fromBlob.userFactors).equals(bytesOf(first.userFactors))).toBe(true);

    // Another process writes the next epoch: this store must not serve its older state.
    const second = await trainEpoch(fromBlob, matrix);
    expect(await elsewhere.save('m', 'run-2', second)).toBe('saved');
    const seen = (await here.load('m', 'run-2'))!;
    expect(seen.epoch).toBe(2);
    expect(bytesOf(seen.itemFactors).equals(bytesOf(second.itemFactors))).toBe(true);

    // Only the last runs written are remembered (two by default).
    const third = await trainEpoch(seen, matrix);
    await here.save('m', 'run-2', third);
    expect(await here.load('m', 'run-2')).toBe(third);
    for (const run of ['run-3', 'run-4']) await here.save('m', run, first);
    const again = (await here.load('m', 'run-2'))!;
    expect(again).not.toBe(third);
    expect(again.epoch).toBe(3);
  });
});
