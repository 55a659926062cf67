import { loadSettings } from '../../../src/lib/config/settings';
import { BASE_ENV, problemsOf } from './settings-fixture';
import { DEFAULT_CONFIDENCE_WEIGHTS } from '../../../src/lib/models/confidence-weights';
import { DEFAULT_DATA_QUALITY_SETTINGS } from '../../../src/lib/models/data-quality';

const base = BASE_ENV;

describe('model-training settings', () => {
  it('default to the library defaults, a 5 % NDCG tolerance and a 6 h deadline', () => {
    expect(loadSettings(base).modelTraining).toEqual({
      dataQuality: DEFAULT_DATA_QUALITY_SETTINGS,
      confidenceWeights: DEFAULT_CONFIDENCE_WEIGHTS,
      deployNdcgTolerance: 0.05,
      maxProcessingTimeMs: 6 * 3600_000,
    });
  });

  it('take partial JSON overrides of the thresholds and weights', () => {
    const settings = loadSettings({
      ...base,
      MODEL_DATA_QUALITY_THRESHOLDS: '{"minRows": 10, "maxCategoryDrift": 0.5}',
      MODEL_CONFIDENCE_WEIGHTS: '{"view": 0.5}',
      MODEL_DEPLOY_NDCG_TOLERANCE: '0',
      MODEL_TRAINING_MAX_PROCESSING_TIME: 'PT30M',
    }).modelTraining;
    expect(settings.dataQuality).toEqual({
      ...DEFAULT_DATA_QUALITY_SETTINGS,
      minRows: 10,
      maxCategoryDrift: 0.5,
    });
    expect(settings.confidenceWeights).toEqual({ ...DEFAULT_CONFIDENCE_WEIGHTS, view: 0.5 });
    expect(settings.deployNdcgTolerance).toBe(0);
    expect(settings.maxProcessingTimeMs).toBe(30 * 60_000);
  });

  it('refuse bad values naming the setting and the field', () => {
    expect(
      problemsOf({
        ...base,
        MODEL_DATA_QUALITY_THRESHOLDS: '{"maxDuplicateShare": 2, "minRow": 1}',
        MODEL_CONFIDENCE_WEIGHTS: 'view=1',
        MODEL_DEPLOY_NDCG_TOLERANCE: '1.5',
        MODEL_TRAINING_MAX_PROCESSING_TIME: '6 hours',
      }).sort(),
    ).toEqual([
      'MODEL_CONFIDENCE_WEIGHTS: must be a JSON object',
      'MODEL_DATA_QUALITY_THRESHOLDS: (value): Unrecognized key: "minRow"',
      'MODEL_DATA_QUALITY_THRESHOLDS: maxDuplicateShare: must be from 0 to 1',
      'MODEL_DEPLOY_NDCG_TOLERANCE: must be a number from 0 to 1',
      'MODEL_TRAINING_MAX_PROCESSING_TIME: must be an ISO 8601 duration such as PT6H',
    ]);
  });
});
