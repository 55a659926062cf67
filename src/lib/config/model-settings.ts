import { z } from 'zod';
import { isoDurationToMs } from '../util/iso-duration';
import {
  DEFAULT_CONFIDENCE_WEIGHTS,
  validateConfidenceWeights,
  type ConfidenceWeights,
} from '../models/confidence-weights';
import { DEFAULT_DATA_QUALITY_SETTINGS, type DataQualitySettings } from '../models/data-quality';

/**
 * The model-training settings (issue 11): the data-quality thresholds, the action weights, and how
 * much worse than production a candidate's NDCG may be and still become the canary. Each is
 * optional with the defaults shown in local.settings.json.example; a bad value fails the start with
 * the setting and the field named. settings.ts merges MODEL_SETTINGS_ENV into its one schema.
 */
export interface ModelTrainingSettings {
  dataQuality: DataQualitySettings;
  confidenceWeights: ConfidenceWeights;
  /** Relative: a candidate with NDCG@k >= production's * (1 - tolerance) on the same holdout may deploy. */
  deployNdcgTolerance: number;
  /**
   * The deadline of a training job (the kit's MaxProcessingTime for this workflow): trainings take
   * hours where other AI jobs take minutes, so AI_MAX_PROCESSING_TIME (30 min) would cut them short.
   */
  maxProcessingTimeMs: number;
}

export const DEFAULT_DEPLOY_NDCG_TOLERANCE = 0.05;
export const DEFAULT_TRAINING_MAX_PROCESSING_TIME = 'PT6H';

const share = z.number().min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1');
const count = z.number().int('must be a whole number').min(0, 'must be at least 0');
const thresholds = z.strictObject({
  minRows: count.optional(),
  maxSchemaViolationShare: share.optional(),
  maxDuplicateShare: share.optional(),
  minRowsPerUser: count.optional(),
  minRowsPerPlace: count.optional(),
  maxSparseUserShare: share.optional(),
  maxSparsePlaceShare: share.optional(),
  maxMissingFromCatalogShare: share.optional(),
  maxCategoryDrift: share.optional(),
});

/** A JSON object setting, its fields checked by `schema`; problems name the setting and field. */
function jsonSetting<T>(schema: z.ZodType<T>) {
  return z
    .string()
    .optional()
    .transform((text, ctx): T | undefined => {
      if (text === undefined || text.trim() === '') return undefined;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
        return z.NEVER;
      }
      const parsed = schema.safeParse(raw);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', message: `${issue.path.join('.') || '(value)'}: ${issue.message}` });
      return z.NEVER;
    });
}

const weights = z.strictObject({
  view: z.number().optional(),
  save: z.number().optional(),
  visit: z.number().optional(),
  rate: z.tuple([z.number(), z.number(), z.number(), z.number(), z.number()]).optional(),
  recommendation_click: z.number().optional(),
  recommendation_dismiss: z.number().optional(),
});

export const MODEL_SETTINGS_ENV = {
  /** JSON, e.g. {"minRows": 1000, "maxCategoryDrift": 0.2}; fields left out keep their defaults. */
  MODEL_DATA_QUALITY_THRESHOLDS: jsonSetting(thresholds),
  /** JSON, e.g. {"view": 1, "save": 3, "visit": 5, "rate": [-3, -1, 1, 3, 5]}. */
  MODEL_CONFIDENCE_WEIGHTS: jsonSetting(weights),
  MODEL_DEPLOY_NDCG_TOLERANCE: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a number from 0 to 1')
    .optional()
    .transform((v) => (v === undefined ? DEFAULT_DEPLOY_NDCG_TOLERANCE : Number(v)))
    .refine((v) => v <= 1, 'must be a number from 0 to 1'),
  MODEL_TRAINING_MAX_PROCESSING_TIME: z
    .string()
    .optional()
    .transform((v, ctx) => {
      try {
        return isoDurationToMs(v ?? DEFAULT_TRAINING_MAX_PROCESSING_TIME);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 duration such as PT6H' });
        return z.NEVER;
      }
    }),
};

type ModelEnv = {
  [K in keyof typeof MODEL_SETTINGS_ENV]: z.output<(typeof MODEL_SETTINGS_ENV)[K]>;
};

export function modelTrainingSettings(values: ModelEnv): ModelTrainingSettings {
  const confidenceWeights = validateConfidenceWeights({
    ...DEFAULT_CONFIDENCE_WEIGHTS,
    ...(values.MODEL_CONFIDENCE_WEIGHTS ?? {}),
  } as ConfidenceWeights);
  return {
    dataQuality: { ...DEFAULT_DATA_QUALITY_SETTINGS, ...(values.MODEL_DATA_QUALITY_THRESHOLDS ?? {}) },
    confidenceWeights,
    deployNdcgTolerance: values.MODEL_DEPLOY_NDCG_TOLERANCE,
    maxProcessingTimeMs: values.MODEL_TRAINING_MAX_PROCESSING_TIME,
  };
}
