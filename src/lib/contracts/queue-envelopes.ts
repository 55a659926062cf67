import { z } from 'zod';
import { QueueNames } from '../messaging/topology';
import {
  CONTRACT_PARSE_PARAMS,
  entityIdField as id,
  futureVersionIssue,
  jobIdField as jobId,
  schemaVersionField,
} from './common-fields';
import { parseBatchRequest } from '../batch/batch-items';
import { parseAnalysisRequest } from './analysis-request';
import { parseModelTrainingRequest } from './model-training-request';
import { toFieldIssues } from './field-issues';
import { parseTripGenerationRequest, type ParseOptions, type ParseResult } from './trip-generation-request';

/**
 * Versioned contracts of the queues whose workflows are not built yet (recommendation); the
 * built workflows' queues use their own contracts (trip, analysis, batch, model training), reached
 * through parseQueueMessage too. Each names the job and
 * its owner the way every job message must (job id rules as in trip generation), so the queue can
 * already be validated and dead-lettered with field-by-field reasons; the payloads grow with their
 * workflows (schemaVersion 1 accepts only what is listed). One version number for the four while
 * they grow together.
 */
export const ENVELOPE_SCHEMA_VERSION = 1;
const version = schemaVersionField(ENVELOPE_SCHEMA_VERSION);

const recommendation = z.strictObject({
  schemaVersion: version,
  jobId,
  userId: id,
  type: z.enum(['places', 'restaurants', 'itinerary']),
  context: z.record(z.string(), z.unknown()).optional(),
});

export const QUEUE_CONTRACTS = {
  [QueueNames.recommendation]: recommendation,
} as const;

/** Validates a message for any of the five queues, reporting every bad field by path. */
export function parseQueueMessage(
  queue: string,
  body: unknown,
  options: ParseOptions = {},
): ParseResult<unknown> {
  if (queue === QueueNames.tripGeneration) return parseTripGenerationRequest(body, options);
  if (queue === QueueNames.analysis) return parseAnalysisRequest(body, options.newJobId);
  if (queue === QueueNames.batchProcessing) return parseBatchRequest(body, options);
  if (queue === QueueNames.modelTraining) return parseModelTrainingRequest(body, options.newJobId);
  const schema = QUEUE_CONTRACTS[queue as keyof typeof QUEUE_CONTRACTS];
  if (!schema) return { ok: false, issues: [{ path: '', message: `no contract for queue "${queue}"` }] };
  const future = futureVersionIssue(body, ENVELOPE_SCHEMA_VERSION);
  if (future.length > 0) return { ok: false, issues: future };
  const parsed = schema.safeParse(body, CONTRACT_PARSE_PARAMS);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, issues: toFieldIssues(parsed.error) };
}
