import { BlobServiceClient } from '@azure/storage-blob';
import {
  deserializeArtifact,
  serializeArtifact,
  artifactFromState,
  datasetFingerprint,
} from '../../../src/lib/models/model-artifact';
import {
  CanaryChangedError,
  ModelRegistry,
  type ModelVersionRecord,
} from '../../../src/lib/models/model-registry';
import { resolveHyperparameters } from '../../../src/lib/models/hyperparameters';
import { initialTrainingState, trainEpoch } from '../../../src/lib/models/training';
import { startAzuriteBlob, type AzuriteHandle } from '../../rig/azurite';
import { bytesOf, smallPlantedData } from './model-fixtures';

jest.setTimeout(60_000);

let azurite: AzuriteHandle;
beforeAll(async () => (azurite = await startAzuriteBlob()));
afterAll(() => azurite?.stop());

let containerSeq = 0;
/** Two writers as two processes would be: separate clients on one container. */
async function twoRegistries() {
  const name = `models-${Date.now()}-${containerSeq++}`;
  const a = new ModelRegistry(
    BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(name),
  );
  const b = new ModelRegistry(
    BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(name),
  );
  await a.ensureContainer();
  return [a, b] as const;
}

function record(modelName: string, note: string): Omit<ModelVersionRecord, 'version' | 'status'> {
  return {
    modelName,
    algorithm: 'als',
    hyperparameters: resolveHyperparameters({ factors: 8 }),
    metrics: { note },
    dataQuality: null,
    datasetFingerprint: 'f'.repeat(64),
    artifactSha256: 'a'.repeat(64),
    epochs: [{ epoch: 1, loss: 0.5, seconds: 0.1 }],
    trainedAt: '2026-12-02T00:00:00.000Z',
    trainingSeconds: 0.1,
  };
}

describe('model registry on Azurite', () => {
  it('two concurrent writers get distinct, gap-free versions and lose no record', async () => {
    const [a, b] = await twoRegistries();
    const registered = await Promise.all(
      Array.from({ length: 16 }, (_, n) =>
        (n % 2 ? a : b).registerVersion(record('place-recommender', `writer-${n % 2}-${n}`)),
      ),
    );
    expect(registered.map((r) => r.version).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 16 }, (_, n) => n + 1),
    );
    const listed = await a.listVersions('place-recommender');
    expect(listed.map((r) => r.version)).toEqual(Array.from({ length: 16 }, (_, n) => n + 1));
    expect(new Set(listed.map((r) => (r.metrics as { note: string }).note)).size).toBe(16);
    expect(listed.every((r) => r.status === 'candidate')).toBe(true);
    expect((await b.getRouting('place-recommender')).nextVersion).toBe(17);
  });

  it('concurrent routing changes all land (ETag conditions, retried)', async () => {
    const [a, b] = await twoRegistries();
    await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        (n % 2 ? a : b).updateRouting('m', (r) => ({
          ...r,
          decisions: [
            ...r.decisions,
            { at: new Date().toISOString(), action: 'deploy', version: n, reason: `writer ${n}` },
          ],
        })),
      ),
    );
    const routing = await a.getRouting('m');
    expect(routing.decisions.map((d) => d.version).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 12 }, (_, n) => n),
    );
  });

  it('canary, promotion and rollback move statuses and log each decision', async () => {
    const [registry] = await twoRegistries();
    const v1 = await registry.registerVersion(record('m', 'one'));
    const v2 = await registry.registerVersion(record('m', 'two'));
    const v3 = await registry.registerVersion(record('m', 'three'));
    await registry.deploy('m', v1.version, 100, 'first model');
    await registry.deploy('m', v2.version, 10, 'canary');
    let routing = await registry.getRouting('m');
    expect(routing).toMatchObject({ productionVersion: 1, canaryVersion: 2, canaryPercent: 10 });
    await registry.deploy('m', v2.version, 100, 'not worse', { z: 0.3 });
    routing = await registry.getRouting('m');
    expect(routing).toMatchObject({ productionVersion: 2, canaryVersion: null, canaryPercent: 0 });
    expect((await registry.getVersion('m', 1))!.status).toBe('retired');
    await registry.deploy('m', v3.version, 20, 'canary');
    routing = await registry.rollback('m', 'canary worse', { z: -3.1, pValue: 0.001 });
    expect(routing).toMatchObject({ productionVersion: 2, canaryVersion: null });
    expect((await registry.getVersion('m', 3))!.status).toBe('rolled_back');
    expect((await registry.getVersion('m', 2))!.status).toBe('production');
    expect(routing.decisions.map((d) => d.action)).toEqual([
      'promote',
      'deploy',
      'promote',
      'deploy',
      'rollback',
    ]);
    expect(routing.decisions.at(-1)!.figures).toEqual({ z: -3.1, pValue: 0.001 });
  });

  it('records one decision when two guards act on the same canary at once (ifCanary)', async () => {
    const [a, b] = await twoRegistries();
    for (const note of ['one', 'two']) await a.registerVersion(record('m', note));
    await a.deploy('m', 1, 100, 'first model');
    await a.deploy('m', 2, 10, 'canary');
    // One rolls back, the other promotes, both about canary 2, through two clients at once.
    const outcomes = await Promise.allSettled([
      a.rollback('m', 'guard a: worse', undefined, 2),
      b.deploy('m', 2, 100, 'guard b: not worse', undefined, 2),
    ]);
    const done = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(done).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(CanaryChangedError);
    const routing = await a.getRouting('m');
    expect(routing.decisions.map((d) => d.action)).toEqual(['promote', 'deploy', expect.any(String)]);
    expect(routing.canaryVersion).toBeNull();

    // A decision about a canary that is no longer live writes nothing.
    await a.registerVersion(record('m', 'three'));
    await a.deploy('m', 3, 20, 'canary');
    await expect(a.rollback('m', 'stale look', undefined, 2)).rejects.toThrow(/the canary is 3, not 2/);
    await expect(a.deploy('m', 2, 100, 'stale look', undefined, 2)).rejects.toThrow(CanaryChangedError);
    expect((await a.getRouting('m')).decisions).toHaveLength(4);
    expect((await a.getVersion('m', 3))!.status).toBe('canary');
  });

  it('refuses bad names, percents and unknown versions by field', async () => {
    const [registry] = await twoRegistries();
    await expect(registry.registerVersion(record('Bad Name', 'x'))).rejects.toThrow(/modelName: must be/);
    await expect(registry.deploy('m', 99, 10, 'x')).rejects.toThrow(/version: m has no version 99/);
    await expect(registry.deploy('m', 1, 0, 'x')).rejects.toThrow(
      /percent: must be a whole number from 1 to 100/,
    );
  });

  it('stores artifacts whose sha256 is the same for the same training, checked on load', async () => {
    const [registry] = await twoRegistries();
    const { matrix, log } = smallPlantedData();
    const train = async () => {
      let s = initialTrainingState(matrix, { factors: 8, seed: 4 });
      for (let e = 0; e < 2; e++) s = await trainEpoch(s, matrix);
      return serializeArtifact(artifactFromState(s, matrix, 'm', datasetFingerprint(log)));
    };
    const first = await train();
    const second = await train();
    expect(second.artifactSha256).toBe(first.artifactSha256);
    await registry.putArtifact('m', 1, first.bytes);
    const loaded = deserializeArtifact(await registry.getArtifact('m', 1), first.artifactSha256);
    expect(loaded.placeIds).toEqual(matrix.placeIds);
    expect(bytesOf(loaded.itemFactors).length).toBe(matrix.placeIds.length * 8 * 4);
    const altered = Buffer.from(first.bytes);
    altered[altered.length - 1]! ^= 1;
    expect(() => deserializeArtifact(altered, first.artifactSha256)).toThrow(/is not the registered/);
  });

  it('registers a training job once however often it asks, even from two writers at once', async () => {
    const [a, b] = await twoRegistries();
    const artifact = Buffer.from('model bytes');
    const { version: _v, status: _s, ...base } = { version: 0, status: 'candidate', ...record('m', 'job') };
    const [first, second, third] = await Promise.all([
      a.registerVersionForJob('job-1', base, artifact),
      b.registerVersionForJob('job-1', base, artifact),
      a.registerVersionForJob('job-1', base, artifact),
    ]);
    expect([first.version, second.version, third.version]).toEqual([1, 1, 1]);
    const other = await b.registerVersionForJob('job-2', base, artifact);
    expect(other.version).toBe(2);
    expect((await a.listVersions('m')).map((v) => [v.version, v.jobId])).toEqual([
      [1, 'job-1'],
      [2, 'job-2'],
    ]);
    expect((await a.getRouting('m')).versionsByJob).toEqual({ 'job-1': 1, 'job-2': 2 });
    expect(await a.getArtifact('m', 1)).toEqual(artifact);
  });
});
