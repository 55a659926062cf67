/**
 * npm run demo [-- <part>]: the demos by name. `trip` (the default) generates a real trip end to
 * end; `models` trains the recommendation model on SYNTHETIC data with a live progress bar.
 */
const parts: Record<string, () => Promise<void>> = {
  trip: async () => (await import('./trip-demo')).runTripDemo(),
  models: async () => (await import('./models-demo')).runModelsDemo(),
};

const name = process.argv[2] ?? 'trip';
const part = parts[name];
if (!part) {
  console.error(`unknown demo "${name}"; the demos are: ${Object.keys(parts).join(', ')}`);
  process.exit(2);
}
part().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`\n${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
