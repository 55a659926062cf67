/**
 * npm run demo [-- trip | analysis | batch] — one workflow end to end against `npm run dev` (FUNCHOST_URL)
 * or a host started here (scripts/demo/demo-host.ts). Each demo lives in scripts/demo/.
 */
import { analysisDemo } from './demo/analysis-demo';
import { batchDemo } from './demo/batch-demo';
import { withDemoHost } from './demo/demo-host';
import { tripDemo } from './demo/trip-demo';

const DEMOS: Record<string, () => Promise<void>> = {
  trip: tripDemo,
  analysis: analysisDemo,
  batch: batchDemo,
};

const which = process.argv[2] ?? 'trip';
const demo = DEMOS[which];
if (!demo) {
  console.error(`Unknown demo "${which}": choose one of ${Object.keys(DEMOS).join(', ')}`);
  process.exit(2);
}

withDemoHost(demo).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`\n${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
