import type * as df from 'durable-functions';

const FINISHED = ['Completed', 'Failed', 'Terminated', 'Canceled'];

export function isFinishedRuntime(status: df.OrchestrationRuntimeStatus | undefined): boolean {
  return status !== undefined && FINISHED.includes(status);
}

/** The instance's status, or undefined when Durable has no such instance. */
export async function findInstance(
  client: df.DurableClient,
  instanceId: string,
): Promise<df.DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(instanceId);
  } catch (error) {
    if (error instanceof Error && error.message.includes('HTTP 404')) return undefined;
    throw error;
  }
}
