import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { AppServices } from '../../lib/app-services';
import { PermanentError } from '../../lib/errors/app-errors';
import { JobAlreadyFinishedError, JobNotFoundError } from '../../lib/jobs/job-errors';
import type { CheckpointResult, CheckpointUpdate } from '../../lib/jobs/job-types';
import { isTerminal } from '../../lib/jobs/job-types';
import { observedCheckpoint } from '../../lib/telemetry/checkpoint-telemetry';
import { runActivity } from '../shared/activity-outcome';
import { findInstance, isFinishedRuntime } from './instances';
import { KitNames } from './kit-names';
import { instanceIdOf, type ActivityHandler, type WorkflowName } from './workflow-definition';

/**
 * The activities every workflow shares. Each is safe to retry: checkpoints carry the orchestration's
 * sequence number, commit and the turn check only read or set a flag, a repeated hand-over wakes a job
 * that is already awake (it looks again and goes on).
 */
export function createKitActivities(
  services: () => Pick<AppServices, 'jobStore' | 'orderingLine'>,
): Record<string, ActivityHandler> {
  return {
    [KitNames.activities.checkpoint]: (input: { jobId: string; update: CheckpointUpdate }) =>
      runActivity(async (): Promise<CheckpointResult> => {
        try {
          return await observedCheckpoint(await services().jobStore(), input.jobId, input.update);
        } catch (error) {
          // Finished by someone else: not an error, the orchestration reads the status and stops.
          if (error instanceof JobAlreadyFinishedError) {
            return {
              outcome: 'ignored',
              status: error.status as CheckpointResult['status'],
              progress: 0,
              seq: 0,
            };
          }
          if (error instanceof JobNotFoundError) {
            throw new PermanentError('the job record vanished from Redis (expired or lost)', 'JobStateLost');
          }
          throw error;
        }
      }),
    [KitNames.activities.commit]: (input: { jobId: string }) =>
      runActivity(async () => (await services().jobStore()).commitResult(input.jobId)),
    [KitNames.activities.turn]: (
      input: { workflow: WorkflowName; jobId: string; after: string },
      context: unknown,
    ) =>
      runActivity(async (): Promise<'go' | 'wait' | 'stopped'> => {
        const store = await services().jobStore();
        const [own, before] = await Promise.all([store.getStatus(input.jobId), store.getStatus(input.after)]);
        if (own && isTerminal(own.status)) return 'stopped';
        if (before) return isTerminal(before.status) ? 'go' : 'wait';
        // The record of the job before is gone (expired, evicted): ask Durable about its orchestration.
        const client = df.getClient(context as InvocationContext);
        const instance = await findInstance(client, instanceIdOf(input.workflow, input.after));
        return !instance || isFinishedRuntime(instance.runtimeStatus) ? 'go' : 'wait';
      }),
    [KitNames.activities.handOver]: (
      input: { workflow: WorkflowName; orderingKey: string; jobId: string },
      context: unknown,
    ) =>
      runActivity(async () => {
        const line = await services().orderingLine();
        const next = await line.nextOf(input.workflow, input.orderingKey, input.jobId);
        if (next) {
          const client = df.getClient(context as InvocationContext);
          const instanceId = instanceIdOf(input.workflow, next);
          const instance = await findInstance(client, instanceId);
          // Not started yet: it looks at this job when it starts. Already over: nothing to wake.
          if (instance && !isFinishedRuntime(instance.runtimeStatus)) {
            await client.raiseEvent(instanceId, KitNames.turnEvent, { after: input.jobId });
          }
        }
        await line.leave(input.workflow, input.orderingKey, input.jobId);
        return next ?? null;
      }),
  };
}

/** Kit activities that use the durable client (registered with its input binding). */
export const KIT_ACTIVITIES_WITH_CLIENT: readonly string[] = [
  KitNames.activities.turn,
  KitNames.activities.handOver,
];
