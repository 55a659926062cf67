import type { JobRequest, WorkflowDefinition, WorkflowName } from './kit/workflow-definition';
import { WORKFLOW_NAMES } from './kit/workflow-definition';
import { analysisWorkflow } from './analysis/workflow';
import { batchWorkflow } from './batch/workflow';
import { modelTrainingWorkflow } from './model-training/workflow';
import { recommendationWorkflow } from './recommendation/workflow';
import { tripGenerationWorkflow } from './trip-generation/workflow';

/**
 * Every workflow the app runs, by name. The queue triggers, orchestrations and the job API are
 * generated from this list (src/functions/workflow-*.ts, src/lib/api/jobs-api.ts).
 */
export const WORKFLOWS: ReadonlyArray<WorkflowDefinition<JobRequest>> = [
  tripGenerationWorkflow as unknown as WorkflowDefinition<JobRequest>,
  recommendationWorkflow as unknown as WorkflowDefinition<JobRequest>,
  analysisWorkflow as unknown as WorkflowDefinition<JobRequest>,
  batchWorkflow as unknown as WorkflowDefinition<JobRequest>,
  modelTrainingWorkflow as unknown as WorkflowDefinition<JobRequest>,
];

export function workflowNamed(name: string): WorkflowDefinition<JobRequest> | undefined {
  return WORKFLOWS.find((w) => w.name === name);
}

export function isWorkflowName(name: string): name is WorkflowName {
  return (WORKFLOW_NAMES as readonly string[]).includes(name);
}

/** `tripGenerationQueue`, `analysisQueue`, …: the trigger's function name. */
export function queueFunctionName(name: WorkflowName): string {
  return `${name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}Queue`;
}
