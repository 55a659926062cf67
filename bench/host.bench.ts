/**
 * npm run bench:host — the local host's own cost: 1,000 orchestrations of 3 activities each (4
 * episodes apiece: start + 3 completions), all started at once, through the real durable-functions
 * replay. Prints throughput and the host time per episode, and, for scale, the time one episode
 * spends inside the library's orchestrator handler alone.
 */
import path from 'node:path';
import { startLocalHost } from '../tools/funchost/host';
import { printTable } from './bench-stats';

const ORCHESTRATIONS = Number(process.env.BENCH_ORCHESTRATIONS ?? 1000);

async function main(): Promise<void> {
  const host = await startLocalHost({
    entry: path.join(__dirname, 'apps/three-activities-app.ts'),
    quiet: true,
  });
  try {
    // Warm-up: JIT and module caches.
    for (let i = 0; i < 20; i++) host.durable.startNew('threeSteps', { instanceId: `warm-${i}`, input: 1 });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        host.durable.waitFor(`warm-${i}`, (x) => x.runtimeStatus === 'Completed'),
      ),
    );

    const started = process.hrtime.bigint();
    for (let i = 0; i < ORCHESTRATIONS; i++)
      host.durable.startNew('threeSteps', { instanceId: `run-${i}`, input: i });
    const done = await Promise.all(
      Array.from({ length: ORCHESTRATIONS }, (_, i) =>
        host.durable.waitFor(
          `run-${i}`,
          (x) => x.runtimeStatus === 'Completed' || x.runtimeStatus === 'Failed',
          600_000,
        ),
      ),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const failed = done.filter((x) => x.runtimeStatus !== 'Completed').length;
    const wrong = done.filter((x, i) => x.output !== i * 8).length;
    const episodes = ORCHESTRATIONS * 4;
    printTable([
      {
        orchestrations: ORCHESTRATIONS,
        activities: ORCHESTRATIONS * 3,
        'wall s': seconds,
        'orchestrations/s': ORCHESTRATIONS / seconds,
        'episodes/s': episodes / seconds,
        'ms per episode (incl. activity)': (seconds * 1000) / episodes,
        failed,
        'wrong output': wrong,
      },
    ]);
  } finally {
    await host.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
