import type * as df from 'durable-functions';
import type { AppServices } from '../../lib/app-services';
import type { Settings } from '../../lib/config/settings';
import type { FieldIssue } from '../../lib/errors/app-errors';
import type { CheckpointUpdate } from '../../lib/jobs/job-types';
import type { QueueNames } from '../../lib/messaging/topology';
import type { HttpResponseInit } from '@azure/functions';
import type { Caller } from '../../lib/api/caller';

/** The five workflows; the name is the route segment, the status record's jobType and the instance id prefix. */
export const WORKFLOW_NAMES = [
  'trip-generation',
  'recommendation',
  'analysis',
  'model-training',
  'batch',
] as const;
export type WorkflowName = (typeof WORKFLOW_NAMES)[number];

/** What every job request has once parsed: its job id (given or made) and the user it belongs to. */
export interface JobRequest {
  jobId: string;
  userId: string;
}

export type ParsedJobRequest<R extends JobRequest> =
  { ok: true; value: R } | { ok: false; issues: FieldIssue[] };

/** One step of a workflow as other services see it (`data.step`), with its progress and time estimate. */
export interface ProgressStep {
  step: string;
  progress: number;
  /** Seconds of work expected to remain once the step starts. */
  estimatedTime: number;
}

export type ActivityHandler = (input: never, context: unknown) => Promise<unknown>;

/**
 * Everything the kit needs to know about a workflow. The queue trigger, the job API, the orchestration
 * wrapper and the tests are made from this; adding a workflow means one definition and its orchestration.
 */
export interface WorkflowDefinition<R extends JobRequest = JobRequest> {
  readonly name: WorkflowName;
  readonly queue: (typeof QueueNames)[keyof typeof QueueNames];
  /** The versioned message/body contract. `newJobId` fills in a missing job id (pure otherwise). */
  readonly contract: {
    schemaVersion: number;
    parse(body: unknown, newJobId?: () => string): ParsedJobRequest<R>;
  };
  readonly orchestratorName: string;
  /** The workflow's own steps; the kit wraps them (see job-orchestration.ts). */
  readonly orchestrator: (context: df.OrchestrationContext) => Generator<df.Task, unknown, unknown>;
  /** Orchestrators the workflow calls as sub-orchestrations, by function name. */
  readonly subOrchestrators?: Record<
    string,
    (context: df.OrchestrationContext) => Generator<df.Task, unknown, unknown>
  >;
  /** The workflow's activities by function name, made from the process's services. */
  activities(services: () => AppServices): Record<string, ActivityHandler>;
  /**
   * Jobs with the same key run one at a time in arrival order; different keys run in parallel.
   * undefined: no ordering. On a session queue this is also the message's session id.
   */
  orderingKey(request: R): string | undefined;
  readonly steps: readonly ProgressStep[];
  /** The events the workflow announces on ai-events / ai-model-events. */
  readonly events: readonly string[];
  /** Data the `queued` record and message carry (e.g. the trip id). */
  queuedData?(request: R): Record<string, unknown>;
  /** The queue message for a parsed request, when it is not the parsed request itself (it must parse again). */
  toMessage?(request: R): unknown;
  /** The job's deadline when it is not AI_MAX_PROCESSING_TIME (model training: hours, not minutes). */
  maxProcessingTimeMs?(settings: Settings): number;
  /** Links beside statusUri/eventsUri in the 202 (e.g. the schedule of a trip). */
  links?(request: R): Record<string, string>;
  /** Checks only the API makes, against its clock (e.g. a trip starting before today); not the trigger. */
  admit?(request: R, now: Date): FieldIssue[];
  /** The trip whose schedule the job writes: claimed for the job's user at submit, 409 if another's. */
  ownedTrip?(request: R): string;
  /**
   * What the caller may not submit beyond the body's own userId (checked by the API for every
   * workflow): a 403 response, or undefined. Batches use it for their items' users.
   */
  refuseFor?(request: R, caller: Caller): HttpResponseInit | undefined;
}

/** What the orchestrator side of the kit needs to know of its workflow. */
export type WorkflowIdentity = Pick<WorkflowDefinition<never>, 'name' | 'steps'>;

/** The orchestration instance of a job: derived from the job id, so a redelivery or resubmission finds it. */
export function instanceIdOf(workflow: WorkflowName, jobId: string): string {
  return `${workflow}:${jobId}`;
}

/** The checkpoint that creates a job (seq 0): written by the API and again by the trigger (a replay). */
export function queuedCheckpoint<R extends JobRequest>(
  def: WorkflowDefinition<R>,
  request: R,
): CheckpointUpdate {
  return {
    userId: request.userId,
    jobType: def.name,
    status: 'queued',
    progress: 0,
    step: 'queued',
    seq: 0,
    ...(def.queuedData ? { data: def.queuedData(request) } : {}),
  };
}
