import { BlobServiceClient } from '@azure/storage-blob';
import { matrixFromLog } from '../../src/lib/models/interaction-log';
import { ModelRegistry } from '../../src/lib/models/model-registry';
import { MODELS_CONTAINER } from '../../src/lib/models/model-storage';
import { registerTrainedModel } from '../../src/lib/models/register-trained-model';
import { SeededRandom } from '../../src/lib/models/random';
import { plantedTasteData } from '../../src/lib/models/synthetic-data';
import { initialTrainingState, trainEpoch } from '../../src/lib/models/training';
import { baseUrl, getJson, postJson } from './demo-host';

const MODEL = 'place-recommender';

interface Routing {
  productionVersion: number | null;
  canaryVersion: number | null;
  canaryPercent: number;
  decisions: Array<{ action: string; version: number; reason: string; figures?: Record<string, unknown> }>;
}
interface ModelState {
  routing: Routing;
  guardChecks: Array<{ action: string; reason: string }>;
}

/**
 * `npm run demo -- canary`, the serving half of the models demo: two versions of place-recommender
 * trained here on SYNTHETIC planted-taste data (clearly not real users) and registered in the
 * registry (AzureWebJobsStorage), one promoted to production and one deployed as a 30 % canary
 * through the model API; then SIMULATED users ask for their lists and click production's 30 % of the
 * time and the canary's 10 %, and the canary guard runs by the Functions admin convention
 * (POST /admin/functions/modelCanaryGuard) until it rolls the canary back; its figures are printed.
 */
export async function canaryDemo(): Promise<void> {
  const run = Date.now().toString(36);
  const destination = `Synthetic City ${run}`;
  const data = plantedTasteData({ users: 600, places: 120, interactions: 12_000, categories: 6, seed: 5 });
  const userIds = data.log.userIds.map((id) => `demo-${run}-${id}`);
  const log = { ...data.log, userIds };
  const places = log.placeIds.map((id, n) => ({
    id,
    name: `Synthetic place ${n}`,
    lat: 37.45 + (n % 12) * 0.005,
    lng: 126.9 + Math.floor(n / 12) * 0.005,
    category: data.categoryNames[data.placeCategory[n]!]!,
    visitMinutes: 60,
    priceLevel: n % 5,
    rating: 3 + (n % 20) / 10,
  }));
  const put = await fetch(`${baseUrl}/api/catalog/${encodeURIComponent(destination)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ places }),
  });
  if (put.status !== 200) throw new Error(`PUT catalog answered ${put.status}`);
  console.log(
    `SYNTHETIC data: ${userIds.length} users, ${places.length} places in ${destination}, ${log.user.length} interactions with planted tastes`,
  );

  const storage = process.env.AzureWebJobsStorage;
  if (!storage) throw new Error('set AzureWebJobsStorage to the host’s storage (the registry lives there)');
  const registry = new ModelRegistry(
    BlobServiceClient.fromConnectionString(storage).getContainerClient(MODELS_CONTAINER),
  );
  await registry.ensureContainer();
  const versions: number[] = [];
  for (const seed of [1, 2]) {
    const matrix = matrixFromLog(log);
    let state = initialTrainingState(matrix, { factors: 16, epochs: 5, seed });
    for (let e = 0; e < 5; e++) state = await trainEpoch(state, matrix);
    const record = await registerTrainedModel(registry, MODEL, state, { ...log, userIds });
    versions.push(record.version);
    console.log(`Trained ALS (16 factors, 5 epochs, seed ${seed}) and registered version ${record.version}`);
  }
  const before = await getJson<ModelState>(`models/${MODEL}`);
  if (before.routing.canaryVersion !== null) await postJson(`models/${MODEL}/rollback`, {});
  await postJson(`models/${MODEL}/deployments`, { version: versions[0], percent: 100 });
  await postJson(`models/${MODEL}/deployments`, { version: versions[1], percent: 30 });
  console.log(`Production: version ${versions[0]}; canary: version ${versions[1]} for 30 % of users.`);
  await runCanaryDemo({ destination, userIds });
}

export interface CanaryDemoOptions {
  destination: string;
  /** Users the model knows (the synthetic log's). */
  userIds: string[];
  clickRates?: { production: number; canary: number };
}

/** Serves lists with simulated clicks in rounds, running the guard after each, until it decides. */
export async function runCanaryDemo(options: CanaryDemoOptions): Promise<void> {
  const { destination, userIds } = options;
  const rates = options.clickRates ?? { production: 0.3, canary: 0.1 };
  console.log(
    `\nSIMULATED feedback: production lists clicked ${rates.production * 100} %, canary lists ${rates.canary * 100} % (the canary is worse).`,
  );
  const random = SeededRandom.fromSeed(2024);
  const seen = { production: { impressions: 0, clicks: 0 }, canary: { impressions: 0, clicks: 0 } };
  let next = 0;
  for (let round = 0; round < 40; round++) {
    for (let n = 0; n < 300; n++) {
      const userId = userIds[next++ % userIds.length]!;
      const query = new URLSearchParams({ destination, k: '10' });
      const list = await getJson<{
        variant: 'production' | 'canary' | 'fallback';
        recommendationId: string;
        items: Array<{ placeId: string }>;
      }>(`users/${encodeURIComponent(userId)}/recommendations?${query}`);
      if (list.variant === 'fallback' || list.items.length === 0) continue;
      seen[list.variant].impressions += 1;
      if (random.next() >= rates[list.variant]) continue;
      seen[list.variant].clicks += 1;
      await postJson('interactions', {
        interactions: [
          {
            userId,
            placeId: list.items[0]!.placeId,
            action: 'recommendation_click',
            at: new Date().toISOString(),
            destination,
            recommendationId: list.recommendationId,
          },
        ],
      });
    }
    const invoked = await fetch(`${baseUrl}/admin/functions/modelCanaryGuard`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"input": ""}',
    });
    if (invoked.status !== 202) throw new Error(`the admin route answered ${invoked.status}`);
    await new Promise((r) => setTimeout(r, 1500));
    const state = await getJson<ModelState>(`models/${MODEL}`);
    console.log(`${line(seen)}  guard: ${state.guardChecks.at(-1)?.reason ?? 'no look yet'}`);
    if (state.routing.canaryVersion === null) {
      const decision = state.routing.decisions.at(-1)!;
      console.log(`\nCanary guard: ${decision.action} of version ${decision.version}`);
      console.log(JSON.stringify(decision.figures, null, 2));
      console.log(`All traffic is back on production version ${state.routing.productionVersion}.`);
      return;
    }
  }
  throw new Error('the canary guard did not decide after 40 rounds');
}

function line(seen: Record<'production' | 'canary', { impressions: number; clicks: number }>): string {
  const ctr = (v: { impressions: number; clicks: number }) =>
    v.impressions ? ((v.clicks / v.impressions) * 100).toFixed(1) : '0.0';
  return (
    `production ${seen.production.impressions} lists (CTR ${ctr(seen.production)} %), ` +
    `canary ${seen.canary.impressions} lists (CTR ${ctr(seen.canary)} %)`
  );
}
