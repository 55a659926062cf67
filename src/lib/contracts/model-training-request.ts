import { z } from 'zod';
import { entityIdField, jobIdField, schemaVersionField } from './common-fields';
import { parseJobBody, type JobParseResult } from './job-contract';

/**
 * A model-training job (`POST /api/jobs/model-training`, queue ai-model-training, ordered per
 * `modelName`). The dataset is a time range of the interaction log or a blob of JSON lines (one
 * interaction per line) in this service's storage account; the hyperparameters have the ranges of
 * src/lib/models/hyperparameters.ts (which fills what is left out); `deploy` asks for the gate and
 * a canary rollout after registration.
 */
export const MODEL_TRAINING_SCHEMA_VERSION = 1;
export const DEFAULT_MODEL_NAME = 'place-recommender';
/** Who owns a training job that names no user (the status record needs an owner). */
export const MODEL_TRAINING_DEFAULT_OWNER = 'model-training';
/** The longest time range one training reads (two years of the log). */
export const MAX_DATASET_DAYS = 730;

const modelName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 of a-z, 0-9 and -, starting with a letter or digit');

const instant = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time with Z or an offset',
});

/** One object with either {from, to} or {uri}, so every bad field is named by its own path. */
const dataset = z
  .strictObject({
    from: instant.optional(),
    to: instant.optional(),
    uri: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL of a blob' })
      .max(2048)
      .optional(),
  })
  .superRefine((value, ctx) => {
    const hasRange = value.from !== undefined || value.to !== undefined;
    if (hasRange === (value.uri !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          'give either {from, to} (the interaction log) or {uri} (a blob of JSON lines), not both or neither',
      });
      return;
    }
    if (!hasRange) return;
    if (value.from === undefined)
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'is required with to' });
    if (value.to === undefined)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'is required with from' });
    if (value.from === undefined || value.to === undefined) return;
    const span = Date.parse(value.to) - Date.parse(value.from);
    if (!(span > 0)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (span > MAX_DATASET_DAYS * 86_400_000)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `must be at most ${MAX_DATASET_DAYS} days after from`,
      });
  });

const finite = (rule: string) => z.number({ message: `must be a number (${rule})` });

const hyperparameters = z.strictObject({
  algorithm: z.enum(['als', 'bpr'], { message: 'must be als or bpr' }).optional(),
  factors: z
    .number()
    .int('must be a whole number')
    .min(8, 'must be from 8 to 256')
    .max(256, 'must be from 8 to 256')
    .optional(),
  epochs: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be from 1 to 200')
    .max(200, 'must be from 1 to 200')
    .optional(),
  regularization: finite('at least 0').min(0, 'must be at least 0').max(1000).optional(),
  alpha: finite('above 0').gt(0, 'must be above 0').max(10_000).optional(),
  learningRate: finite('above 0').gt(0, 'must be above 0').max(10).optional(),
  seed: z
    .number()
    .int('must be a whole number')
    .min(0)
    .max(0xffffffff, 'must be from 0 to 4294967295')
    .optional(),
  cgSteps: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be from 1 to 10')
    .max(10, 'must be from 1 to 10')
    .optional(),
});

const request = z.strictObject({
  schemaVersion: schemaVersionField(MODEL_TRAINING_SCHEMA_VERSION),
  jobId: jobIdField.optional(),
  userId: entityIdField.optional(),
  modelName: modelName.default(DEFAULT_MODEL_NAME),
  dataset,
  hyperparameters: hyperparameters.default({}),
  evaluation: z
    .strictObject({
      k: z
        .number()
        .int('must be a whole number')
        .min(1, 'must be from 1 to 100')
        .max(100, 'must be from 1 to 100')
        .default(10),
    })
    .default({ k: 10 }),
  deploy: z
    .strictObject({
      canaryPercent: z
        .number()
        .int('must be a whole number')
        .min(1, 'must be from 1 to 99')
        .max(99, 'must be from 1 to 99'),
    })
    .optional(),
});

export type ModelTrainingRequest = Omit<z.output<typeof request>, 'userId' | 'dataset'> & {
  jobId: string;
  userId: string;
  dataset: TrainingDataset;
};
export type TrainingDataset = { from: string; to: string } | { uri: string };

export function parseModelTrainingRequest(
  body: unknown,
  newJobId?: () => string,
): JobParseResult<ModelTrainingRequest> {
  const parsed = parseJobBody(request, MODEL_TRAINING_SCHEMA_VERSION, body, newJobId);
  return parsed.ok
    ? {
        ok: true,
        value: {
          ...parsed.value,
          dataset: parsed.value.dataset as TrainingDataset,
          userId: parsed.value.userId ?? MODEL_TRAINING_DEFAULT_OWNER,
        },
      }
    : parsed;
}

export function isBlobDataset(dataset: TrainingDataset): dataset is { uri: string } {
  return 'uri' in dataset;
}
