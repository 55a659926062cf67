/**
 * npm run demo [-- trip | analysis | batch | models | canary] — one workflow end to end against `npm run dev` (FUNCHOST_URL)
 * or a host started here (scripts/demo/demo-host.ts). Each demo lives in scripts/demo/.
 */
import { analysisDemo } from './demo/analysis-demo';
import { batchDemo } from './demo/batch-demo';
import { modelsDemo } from './demo/models-demo';
import { canaryDemo } from './demo/canary-demo';
import { withDemoHost } from './demo/demo-host';
import { tripDemo } from './demo/trip-demo';

const DEMOS: Record<string, () => Promise<void>> = {
  trip: tripDemo,
  analysis: analysisDemo,
  batch: batchDemo,
  models: modelsDemo,
  canary: canaryDemo,
};

const which = process.argv[2] ?? 'trip';
const demo = DEMOS[which];
if (!demo) {
  console.error(`Unknown demo "${which}": choose one of ${Object.keys(DEMOS).join(', ')}`);
  process.exit(2);
}

// A host the canary demo starts itself decides after 300 impressions per variant instead of 1000 (a
// host already running keeps its own setting; the demo serves until the guard decides either way).
if (which === 'canary') process.env.CANARY_MIN_IMPRESSIONS ??= '300';

withDemoHost(demo).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`\n${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
