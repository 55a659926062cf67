import fc from 'fast-check';

/**
 * Jest setup file used only by mutation runs (stryker.config.json): fast-check's property tests draw a
 * random seed per run under `npm test`, so a mutant could be killed or survive by luck. Mutation runs
 * use one fixed seed (MUTATION_FC_SEED, default below) so the same mutant meets the same generated
 * cases on every run and a score can be compared between runs.
 */
const seed = Number(process.env.MUTATION_FC_SEED ?? 20261203);
if (!Number.isSafeInteger(seed))
  throw new Error(`MUTATION_FC_SEED must be an integer, got ${process.env.MUTATION_FC_SEED}`);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
