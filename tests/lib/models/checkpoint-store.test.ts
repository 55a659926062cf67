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
    const final = (await store.load('m', 'run-1'))!;
    expect(final.epoch).toBe(4);
    expect(bytesOf(final.userFactors).equals(bytesOf(reference.userFactors))).toBe(true);
    expect(bytesOf(final.itemFactors).equals(bytesOf(reference.itemFactors))).toBe(true);
    expect(await store.load('m', 'other-run')).toBeNull();
  });
});
