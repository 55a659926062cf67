import { BATCH_SCHEMA_VERSION, parseBatchRequest } from '../../lib/batch/batch-items';
import { ownRowsOnly } from '../../lib/api/caller';
import { json } from '../../lib/api/http-responses';
import { QueueNames } from '../../lib/messaging/topology';
import { sharedRedis } from '../../lib/redis/shared-clients';
import type { WorkflowDefinition } from '../kit/workflow-definition';
import { tripPlanner } from '../trip-generation/planner-adapter';
import { createBatchActivities } from './activities';
import { BATCH_STEPS, BatchNames } from './names';
import { batchChunkOrchestrator, batchOrchestrator, type BatchJobRequest } from './orchestrator';

/** Who owns a batch that names no user: the service account of the producer. */
export const BATCH_DEFAULT_OWNER = 'batch';

/**
 * Batch: one operation over many items (inline up to 10,000, or a Blob of JSON lines), in chunks of
 * BatchSize. Not ordered (the queue has no sessions); the job id alone makes a redelivered batch run
 * once (the queue has no duplicate detection).
 */
export const batchWorkflow: WorkflowDefinition<BatchJobRequest> = {
  name: 'batch',
  queue: QueueNames.batchProcessing,
  contract: {
    schemaVersion: BATCH_SCHEMA_VERSION,
    parse: (body, newJobId) => {
      const parsed = parseBatchRequest(body, newJobId ? { newJobId } : {});
      return parsed.ok
        ? { ok: true, value: { ...parsed.value, userId: parsed.value.userId ?? BATCH_DEFAULT_OWNER } }
        : parsed;
    },
  },
  orchestratorName: BatchNames.orchestrator,
  orchestrator: batchOrchestrator,
  subOrchestrators: { [BatchNames.chunkOrchestrator]: batchChunkOrchestrator },
  activities: (services) =>
    createBatchActivities({
      blobService: () => services().blobService(),
      profileStore: () => services().profileStore(),
      scheduleCache: () => services().scheduleCache(),
      eventPublisher: () => services().eventPublisher(),
      planner: tripPlanner,
      modelServing: () => services().modelServing(),
      redis: async () => (await sharedRedis(services().settings)).client,
      tripOwners: () => services().tripOwners(),
    }),
  // Items travel as the caller wrote them: the trigger parses the message again, and a trip item's
  // job id is the batch's to give (`<batch job id>.<index>`).
  toMessage: ({ items, ...request }) => ({
    ...request,
    ...(items
      ? { items: items.map(({ value }) => withoutJobId(value as unknown as Record<string, unknown>)) }
      : {}),
  }),
  // A signed-in user batches its own items only; items in a blob cannot be checked at the edge, so
  // itemsUri is for admins (TripGen services). Queue producers are services, trusted by their role.
  refuseFor: (request, caller) => {
    if (caller.isAdmin) return undefined;
    if (request.itemsUri !== undefined)
      return json(403, {
        error: 'Forbidden',
        message: 'only an admin submits a batch by itemsUri (its items cannot be checked here); send items',
        issues: [{ path: 'itemsUri', message: 'is for admins' }],
      });
    const users = (request.items ?? []).map(({ value }) => ({
      userId: (value as { userId: string }).userId,
    }));
    return ownRowsOnly(users, caller, 'items');
  },
  orderingKey: () => undefined,
  steps: BATCH_STEPS,
  events: ['BatchCompleted'],
  queuedData: (request) => ({ operation: request.operation }),
};

function withoutJobId(value: Record<string, unknown>): Record<string, unknown> {
  const { jobId: _jobId, ...rest } = value;
  return rest;
}
