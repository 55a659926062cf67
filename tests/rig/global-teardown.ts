export default async function globalTeardown(): Promise<void> {
  const rig = globalThis.__TEST_RIG__;
  if (!rig) return;
  await Promise.all([rig.standalone.stop(), rig.cluster.stop()]);
}
