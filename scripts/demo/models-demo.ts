/**
 * npm run demo -- models: the recommendation model's training on SYNTHETIC data (planted tastes,
 * clearly not real users): a synthetic catalog (PUT /api/catalog/Synthetic City) and interaction
 * log (POST /api/interactions), a training job through the job API followed live (epoch, loss and
 * the ETA measured from the epochs so far), then its metrics on the holdout beside the popularity
 * baseline and the production version, and the deploy gate's decision (the first version becomes
 * production, later ones the canary).
 */
import { syntheticInteractions } from '../../src/lib/models/synthetic-interactions';
import { baseUrl } from './demo-host';
import { followJob } from './follow-job';

const DESTINATION = 'Synthetic City';
const SYNTHETIC = { users: 4000, places: 800, interactions: 120_000, categories: 10, seed: 42 };
const MODEL = process.env.DEMO_MODEL_NAME ?? 'place-recommender';

interface Metrics {
  recall: number;
  ndcg: number;
  coverage: number;
}

async function call(method: string, route: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}/api/${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (response.status >= 300)
    throw new Error(`${method} /api/${route} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

/** Seeds the synthetic catalog and log; returns the log's time range. */
async function seedSyntheticData(): Promise<{ from: string; to: string }> {
  // Ten minutes of interactions ending a minute ago: a window no earlier run of the demo wrote into.
  const spacingMs = 5;
  const start = new Date(Date.now() - 60_000 - SYNTHETIC.interactions * spacingMs);
  const { rows, placeCategory } = syntheticInteractions({
    ...SYNTHETIC,
    destination: DESTINATION,
    start,
    spacingMs,
  });
  const places = placeCategory.map((category, n) => ({
    id: `place-${n}`,
    name: `Synthetic place ${n}`,
    lat: 37.45 + (n % 40) * 0.005,
    lng: 126.9 + Math.floor(n / 40) * 0.005,
    category,
    visitMinutes: 60,
    priceLevel: n % 5,
    rating: 3 + (n % 20) / 10,
  }));
  await call('PUT', `catalog/${encodeURIComponent(DESTINATION)}`, { places });
  const run = Date.now().toString(36);
  for (let offset = 0, call_ = 0; offset < rows.length; offset += 10_000, call_++) {
    await call(
      'POST',
      'interactions',
      { interactions: rows.slice(offset, offset + 10_000) },
      {
        'Idempotency-Key': `demo-${run}-${call_}`,
      },
    );
    process.stdout.write(
      `\rSYNTHETIC data: ${places.length} places, ${Math.min(offset + 10_000, rows.length)} / ${rows.length} interactions stored`,
    );
  }
  process.stdout.write('\n');
  const last = rows[rows.length - 1]!.at;
  return { from: rows[0]!.at, to: new Date(Date.parse(last) + 1).toISOString() };
}

/** The detail of the live line: epoch, loss and the ETA measured from the epochs so far. */
function trainingDetail(data: Record<string, unknown>): string {
  const eta = typeof data.estimatedTime === 'number' ? `ETA ${data.estimatedTime} s` : '';
  if (data.step === 'training' && typeof data.epoch === 'number')
    return `epoch ${String(data.epoch).padStart(2)}/${String(data.epochs)}  loss ${(data.loss as number).toFixed(5)}  ${eta}`;
  return `${String(data.step ?? '')} ${eta}`;
}

function metricsTable(k: number, rows: Array<[string, Metrics]>): string {
  const head = `${''.padEnd(26)}${`recall@${k}`.padStart(11)}${`NDCG@${k}`.padStart(10)}${`coverage@${k}`.padStart(13)}`;
  const lines = rows.map(
    ([name, m]) =>
      `${name.padEnd(26)}${m.recall.toFixed(4).padStart(11)}${m.ndcg.toFixed(4).padStart(10)}${m.coverage.toFixed(4).padStart(13)}`,
  );
  return [head, ...lines].join('\n');
}

/** Trains one version through the job API and prints what it learned; used by the models demo. */
export async function trainDemoModel(
  dataset: { from: string; to: string },
  hyperparameters: Record<string, unknown>,
  canaryPercent: number,
): Promise<{ version: number; deployed: boolean }> {
  const submitted = await call('POST', 'jobs/model-training', {
    modelName: MODEL,
    dataset,
    hyperparameters,
    evaluation: { k: 10 },
    deploy: { canaryPercent },
  });
  console.log(`\nTraining job ${String(submitted.jobId)} (${MODEL}, ${JSON.stringify(hyperparameters)})`);
  const outcome = await followJob(String(submitted.eventsUri), trainingDetail);
  const job = (await (await fetch(`${baseUrl}/api/jobs/${String(submitted.jobId)}`)).json()) as {
    result?: {
      version: number;
      artifactSha256: string;
      evaluation: {
        k: number;
        holdoutUsers: number;
        candidate: Metrics;
        popularity: Metrics;
        production: (Metrics & { version: number }) | null;
      };
      deployment: { deployed: boolean; status: string; percent: number; reason: string } | null;
    };
    error?: string;
  };
  if (outcome.status !== 'completed' || !job.result)
    throw new Error(`the job ended ${outcome.status}: ${job.error ?? outcome.error ?? ''}`);
  const { version, evaluation, deployment, artifactSha256 } = job.result;
  console.log(
    `\nVersion ${version} registered (artifactSha256 ${artifactSha256.slice(0, 16)}…); holdout: the last 2 liked places of ${evaluation.holdoutUsers} users`,
  );
  console.log(
    metricsTable(evaluation.k, [
      [
        `${String(hyperparameters.algorithm ?? 'als').toUpperCase()} v${version} (this job)`,
        evaluation.candidate,
      ],
      ['popularity baseline', evaluation.popularity],
      ...(evaluation.production
        ? [[`production v${evaluation.production.version}`, evaluation.production] as [string, Metrics]]
        : []),
    ]),
  );
  if (deployment)
    console.log(
      deployment.deployed
        ? `Deployed as ${deployment.status} (${deployment.percent} % of users): ${deployment.reason}`
        : `Not deployed: ${deployment.reason}`,
    );
  return { version, deployed: deployment?.deployed ?? false };
}

export async function modelsDemo(): Promise<void> {
  console.log(
    `SYNTHETIC data with planted tastes (${SYNTHETIC.users} users, ${SYNTHETIC.places} places in ${SYNTHETIC.categories} categories; each user favours two): not real users.`,
  );
  const dataset = await seedSyntheticData();
  await trainDemoModel(dataset, { algorithm: 'als', factors: 64, epochs: 15, seed: 7 }, 20);
}
