/**
 * The workflows on the rig's 6-shard Redis Cluster (REDIS_CLUSTER=true), as Azure Cache for Redis
 * Premium (clustered) and Azure Managed Redis (OSS cluster policy) run them: the job-state scripts,
 * the ordering line and the channels must keep every multi-key command within one slot.
 */
import fs from 'node:fs';
import path from 'node:path';
import { instanceIdOf } from '../../src/orchestrations/kit/workflow-definition';
import { rigClusterNodes } from '../rig/rig-env';
import { uniqueId } from '../rig/redis-targets';
import { startAppWithBlob, type AppWithBlob } from './app-with-blob';

const root = path.resolve(__dirname, '../..');
const sample = JSON.parse(fs.readFileSync(path.join(root, 'samples/trip-request.json'), 'utf8')) as Record<
  string,
  unknown
>;
const startDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

jest.setTimeout(120_000);

describe('workflows on a Redis Cluster', () => {
  let app: AppWithBlob;
  beforeAll(async () => {
    const node = rigClusterNodes()[0]!;
    app = await startAppWithBlob('TripGenAIClusterTest', {
      env: { REDIS_URL: `redis://${node.host}:${node.port}`, REDIS_CLUSTER: 'true' },
    });
  });
  afterAll(() => app.stop());

  const finished = async (workflow: Parameters<typeof instanceIdOf>[0], jobId: string) => {
    await app.host.durable.waitFor(
      instanceIdOf(workflow, jobId),
      (i) => ['Completed', 'Failed', 'Terminated'].includes(i.runtimeStatus),
      60_000,
    );
    return (await (await app.api(`jobs/${jobId}`)).json()) as {
      status: string;
      jobType: string;
      error?: unknown;
    };
  };

  it('runs two trip jobs of one session in order, caches the schedule and serves it', async () => {
    const sessionId = uniqueId('cluster-session');
    const jobs = [uniqueId('cluster-trip-a'), uniqueId('cluster-trip-b')];
    for (const jobId of jobs) {
      const response = await app.postJson('jobs/trip-generation', {
        ...sample,
        startDate,
        jobId,
        tripId: `trip-${jobId}`,
        sessionId,
      });
      expect(response.status).toBe(202);
    }
    for (const jobId of jobs)
      expect(await finished('trip-generation', jobId)).toMatchObject({ status: 'completed' });
    const schedule = await app.api(`trips/trip-${jobs[1]}/schedule`);
    expect(schedule.status).toBe(200);
  });

  it('runs an analysis and a batch, and cancels a queued job', async () => {
    const userId = uniqueId('cluster-user');
    const rows = Array.from({ length: 6 }, (_, i) => ({
      userId,
      placeId: `museum-${i}`,
      action: 'visit',
      at: new Date(Date.now() - (i + 1) * 3600_000).toISOString(),
      destination: 'Seoul',
      category: 'museum',
    }));
    expect((await app.postJson('interactions', { interactions: rows })).status).toBe(200);
    const analysis = (await (
      await app.postJson('jobs/analysis', { userId, analysisType: 'preferences' })
    ).json()) as { jobId: string };
    expect(await finished('analysis', analysis.jobId)).toMatchObject({
      status: 'completed',
      jobType: 'analysis',
    });
    expect((await app.api(`users/${userId}/profile`)).status).toBe(200);

    const batch = (await (
      await app.postJson('jobs/batch', {
        operation: 'analyse-preferences',
        items: [{ userId }, { userId: uniqueId('cluster-nobody') }],
      })
    ).json()) as { jobId: string };
    const batchStatus = (await finished('batch', batch.jobId)) as { status: string; result?: unknown };
    expect(batchStatus).toMatchObject({ status: 'completed', result: { total: 2, succeeded: 2, failed: 0 } });

    // Cancelled while it waits for its turn behind the user's running analysis: never processes.
    const sessionId = uniqueId('cluster-cancel');
    const first = uniqueId('cluster-first');
    const second = uniqueId('cluster-second');
    await app.postJson('jobs/trip-generation', {
      ...sample,
      startDate,
      jobId: first,
      tripId: `t-${first}`,
      sessionId,
    });
    await app.host.durable.waitFor(instanceIdOf('trip-generation', first), () => true, 20_000);
    app.host.durable.suspend(instanceIdOf('trip-generation', first), 'stall');
    await app.postJson('jobs/trip-generation', {
      ...sample,
      startDate,
      jobId: second,
      tripId: `t-${second}`,
      sessionId,
    });
    await app.host.serviceBus!.whenIdle();
    expect((await app.api(`jobs/${second}`, { method: 'DELETE' })).status).toBe(202);
    app.host.durable.resume(instanceIdOf('trip-generation', first), 'go on');
    expect(await finished('trip-generation', first)).toMatchObject({ status: 'completed' });
    expect(((await (await app.api(`jobs/${second}`)).json()) as { status: string }).status).toBe('cancelled');
  });
});
