import { parseRedisUrl } from '../../../src/lib/config/redis-connection';
import { JobStateStore } from '../../../src/lib/jobs/job-state-store';
import { createRedisClient, type ManagedRedisClient } from '../../../src/lib/redis/client-factory';
import { cli, startFailoverCluster, type FailoverCluster } from '../../rig/failover-cluster';

/**
 * A cluster master failover (a replica promoted with CLUSTER FAILOVER, as Azure does when it patches
 * a node) while the app writes: every command keeps working, before, during and after, and the data
 * written before is still there. On a cluster of our own with one replica per master.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Redis Cluster master failover', () => {
  let cluster: FailoverCluster;
  let managed: ManagedRedisClient;
  beforeAll(async () => {
    cluster = await startFailoverCluster(3);
    const seed = cluster.nodes[0]!;
    managed = await createRedisClient({
      endpoint: parseRedisUrl(`redis://${seed.host}:${seed.port}`),
      cluster: true,
      onConnectionError: () => undefined,
    });
  }, 60_000);
  afterAll(async () => {
    await managed?.close();
    await cluster?.stop();
  });

  it('keeps every command working while a replica takes over its master', async () => {
    const store = new JobStateStore(managed.client, { jobStatus: 3600, jobProgress: 3600 });
    const jobIds = Array.from({ length: 60 }, (_, i) => `failover-job-${i}`);
    await Promise.all(
      jobIds.map((jobId) =>
        store.checkpoint(jobId, { userId: 'u1', jobType: 'trip-generation', status: 'queued', seq: 0 }),
      ),
    );
    // The master that owns the first job's slot, and its replica.
    const slot = Number(cli(cluster.nodes[0]!.port, 'CLUSTER', 'KEYSLOT', `ai:job:status:{${jobIds[0]}}`));
    const masterPort = Number(
      (
        JSON.parse(JSON.stringify(await managed.client.cluster('SLOTS'))) as Array<
          [number, number, [string, number]]
        >
      ).find(([from, to]) => slot >= from && slot <= to)![2][1],
    );
    const replicaPort = cluster.replicaOf(masterPort);
    // CLUSTER FAILOVER needs the replica to have caught up; wait for its link to be up.
    for (
      let i = 0;
      i < 100 && !cli(replicaPort, 'INFO', 'replication').includes('master_link_status:up');
      i++
    )
      await sleep(50);

    let stop = false;
    const failures: string[] = [];
    let done = 0;
    let worstMs = 0;
    const writer = (async () => {
      for (let round = 1; !stop; round++) {
        await Promise.all(
          jobIds.map(async (jobId) => {
            const started = performance.now();
            try {
              await store.checkpoint(jobId, {
                status: 'processing',
                progress: Math.min(round, 99),
                seq: round,
              });
              done += 1;
            } catch (error) {
              failures.push(`${jobId}: ${(error as Error).message}`);
            }
            worstMs = Math.max(worstMs, performance.now() - started);
          }),
        );
      }
    })();
    await sleep(200);
    expect(cli(replicaPort, 'CLUSTER', 'FAILOVER')).toBe('OK');
    for (let i = 0; i < 200 && cluster.role(replicaPort) !== 'master'; i++) await sleep(50);
    expect(cluster.role(replicaPort)).toBe('master');
    expect(cluster.role(masterPort)).toBe('slave');
    const doneAtFailover = done;
    await sleep(1_500);
    stop = true;
    await writer;
    console.log(
      `failover ${masterPort} -> ${replicaPort}: ${done} checkpoints (${done - doneAtFailover} after the promotion), ` +
        `${failures.length} failed, worst latency ${worstMs.toFixed(0)} ms`,
    );
    expect(failures).toEqual([]);
    expect(done - doneAtFailover).toBeGreaterThan(jobIds.length);
    // Everything written before is still there, and reads reach the new master.
    const records = await Promise.all(jobIds.map((jobId) => store.getStatus(jobId)));
    expect(records.every((r) => r?.status === 'processing')).toBe(true);
  }, 60_000);
});
