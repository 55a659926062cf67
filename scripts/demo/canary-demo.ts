/**
 * The serving half of `npm run demo -- models`: with a production version and a canary live (the
 * training half deploys them), SYNTHETIC users ask for their lists (GET /api/users/{id}/recommendations)
 * and click them as if the canary were worse (production lists clicked 30 % of the time, canary lists
 * 10 %: simulated, clearly not real feedback); the canary guard is run by the Functions admin
 * convention (POST /admin/functions/modelCanaryGuard) until it rolls the canary back, and the
 * decision is printed with its figures from GET /api/models/{modelName}.
 */
import { SeededRandom } from '../../src/lib/models/random';

export interface CanaryDemoOptions {
  baseUrl: string;
  modelName: string;
  destination: string;
  /** Users the model knows (the synthetic log's). */
  userIds: string[];
  /** Impressions each variant needs before the guard decides (CANARY_MIN_IMPRESSIONS, default 1000). */
  minImpressions?: number;
  clickRates?: { production: number; canary: number };
}

interface Routing {
  productionVersion: number | null;
  canaryVersion: number | null;
  canaryPercent: number;
  decisions: Array<{ action: string; version: number; reason: string; figures?: Record<string, unknown> }>;
}

export async function runCanaryDemo(options: CanaryDemoOptions): Promise<void> {
  const { baseUrl, modelName, destination, userIds } = options;
  const rates = options.clickRates ?? { production: 0.3, canary: 0.1 };
  const need = Math.ceil(
    (options.minImpressions ?? Number(process.env.CANARY_MIN_IMPRESSIONS ?? 1000)) * 1.1,
  );
  const routing = await getRouting(baseUrl, modelName);
  if (routing.canaryVersion === null || routing.productionVersion === null)
    throw new Error(`${modelName} has no canary beside production; train and deploy one first`);
  console.log(
    `\nCanary v${routing.canaryVersion} serves ${routing.canaryPercent} % of users beside production v${routing.productionVersion}.` +
      `\nSIMULATED feedback: production lists clicked ${rates.production * 100} %, canary lists ${rates.canary * 100} % (the canary is worse).`,
  );
  const random = SeededRandom.fromSeed(2024);
  const seen = { production: { impressions: 0, clicks: 0 }, canary: { impressions: 0, clicks: 0 } };
  for (let n = 0; seen.production.impressions < need || seen.canary.impressions < need; n++) {
    const userId = userIds[n % userIds.length]!;
    const query = new URLSearchParams({ destination, k: '10' });
    const response = await fetch(
      `${baseUrl}/api/users/${encodeURIComponent(userId)}/recommendations?${query}`,
    );
    if (response.status !== 200) throw new Error(`recommendations answered ${response.status}`);
    const list = (await response.json()) as {
      variant: 'production' | 'canary' | 'fallback';
      recommendationId: string;
      items: Array<{ placeId: string }>;
    };
    if (list.variant === 'fallback' || list.items.length === 0) continue;
    const counts = seen[list.variant];
    counts.impressions += 1;
    if (random.next() < rates[list.variant]) {
      counts.clicks += 1;
      await fetch(`${baseUrl}/api/interactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
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
        }),
      });
    }
    if (n % 50 === 0) process.stdout.write(`\r${line(seen)}`);
  }
  process.stdout.write(`\r${line(seen)}\n`);
  for (let attempt = 0; attempt < 60; attempt++) {
    const invoked = await fetch(`${baseUrl}/admin/functions/modelCanaryGuard`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"input": ""}',
    });
    if (invoked.status !== 202) throw new Error(`the admin route answered ${invoked.status}`);
    await new Promise((r) => setTimeout(r, 1000));
    const after = await getRouting(baseUrl, modelName);
    if (after.canaryVersion === null) {
      const decision = after.decisions.at(-1)!;
      console.log(`\nCanary guard: ${decision.action} of v${decision.version}: ${decision.reason}`);
      console.log(JSON.stringify(decision.figures, null, 2));
      console.log(`All traffic is back on production v${after.productionVersion}.`);
      return;
    }
  }
  throw new Error('the canary guard did not decide within a minute');
}

async function getRouting(baseUrl: string, modelName: string): Promise<Routing> {
  const response = await fetch(`${baseUrl}/api/models/${encodeURIComponent(modelName)}`);
  if (response.status !== 200) throw new Error(`GET /api/models/${modelName} answered ${response.status}`);
  return ((await response.json()) as { routing: Routing }).routing;
}

function line(seen: Record<'production' | 'canary', { impressions: number; clicks: number }>): string {
  const ctr = (v: { impressions: number; clicks: number }) =>
    v.impressions ? ((v.clicks / v.impressions) * 100).toFixed(1) : '0.0';
  return (
    `production ${seen.production.impressions} lists, CTR ${ctr(seen.production)} %   ` +
    `canary ${seen.canary.impressions} lists, CTR ${ctr(seen.canary)} %`
  );
}
