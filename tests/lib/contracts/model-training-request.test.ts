import {
  DEFAULT_MODEL_NAME,
  MODEL_TRAINING_DEFAULT_OWNER,
  parseModelTrainingRequest,
} from '../../../src/lib/contracts/model-training-request';

const paths = (body: unknown) => {
  const parsed = parseModelTrainingRequest(body, () => 'job-1');
  return parsed.ok ? [] : parsed.issues.map((i) => i.path).sort();
};

describe('model-training request contract', () => {
  it('fills the defaults: model name, owner, evaluation k, no deploy', () => {
    expect(
      parseModelTrainingRequest(
        { dataset: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' } },
        () => 'j',
      ),
    ).toEqual({
      ok: true,
      value: {
        schemaVersion: 1,
        jobId: 'j',
        userId: MODEL_TRAINING_DEFAULT_OWNER,
        modelName: DEFAULT_MODEL_NAME,
        dataset: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' },
        hyperparameters: {},
        evaluation: { k: 10 },
      },
    });
  });

  it('takes a blob of JSON lines and every hyperparameter in its range', () => {
    const parsed = parseModelTrainingRequest(
      {
        modelName: 'm-1',
        dataset: { uri: 'http://127.0.0.1:10000/devstoreaccount1/datasets/a.jsonl' },
        hyperparameters: {
          algorithm: 'bpr',
          factors: 256,
          epochs: 200,
          regularization: 0,
          alpha: 40,
          learningRate: 0.1,
          seed: 4294967295,
        },
        evaluation: { k: 20 },
        deploy: { canaryPercent: 10 },
      },
      () => 'j',
    );
    expect(parsed.ok).toBe(true);
  });

  it('names every bad field by path', () => {
    expect(
      paths({
        modelName: 'Not_OK',
        dataset: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
        hyperparameters: { algorithm: 'svd', factors: 7, epochs: 0, alpha: 0, seed: -1, extra: 1 },
        evaluation: { k: 0 },
        deploy: { canaryPercent: 0 },
      }),
    ).toEqual([
      'dataset.to',
      'deploy.canaryPercent',
      'evaluation.k',
      'hyperparameters',
      'hyperparameters.algorithm',
      'hyperparameters.alpha',
      'hyperparameters.epochs',
      'hyperparameters.factors',
      'hyperparameters.seed',
      'modelName',
    ]);
  });

  it('wants exactly one dataset form, and a range no longer than two years', () => {
    expect(paths({})).toEqual(['dataset']);
    expect(paths({ dataset: {} })).toEqual(['dataset']);
    expect(paths({ dataset: { uri: 'https://a/b/c', from: '2026-01-01T00:00:00Z' } })).toEqual(['dataset']);
    expect(paths({ dataset: { to: '2026-01-01T00:00:00Z' } })).toEqual(['dataset.from']);
    expect(paths({ dataset: { from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } })).toEqual([
      'dataset.to',
    ]);
    expect(paths({ dataset: { uri: 'ftp://a/b' } })).toEqual(['dataset.uri']);
  });
});
