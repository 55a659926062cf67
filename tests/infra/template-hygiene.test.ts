import path from 'node:path';
import { bicepFilesUnder } from '../../tools/bicepcheck/check-templates';
import { buildFileModel } from '../../tools/bicepcheck/file-model';
import { loadBicepParser } from '../../tools/bicepcheck/parser';
import { bicepDir } from './infra-fixture';

async function models() {
  const parser = await loadBicepParser();
  return bicepFilesUnder(bicepDir)
    .filter((f) => f.endsWith('.bicep'))
    .map((f) => ({ name: path.relative(bicepDir, f), model: buildFileModel(parser.parse(f)) }));
}

describe('template hygiene', () => {
  it('describes every parameter and output', async () => {
    const undescribed = (await models()).flatMap(({ name, model }) =>
      [...model.params.values(), ...model.outputs.values()]
        .filter((d) => !d.decorators.some((x) => x.name === 'description'))
        .map((d) => `${name}:${d.location.line} ${d.name}`),
    );
    expect(undescribed).toEqual([]);
  });

  it('marks the webhook URL (it carries a token) @secure wherever it is a parameter', async () => {
    const webhookParams = (await models()).flatMap(({ model }) =>
      [...model.params.values()].filter((p) => /webhook/i.test(p.name)),
    );
    expect(webhookParams.length).toBeGreaterThanOrEqual(2);
    expect(
      webhookParams.filter((p) => !p.decorators.some((d) => d.name === 'secure')).map((p) => p.name),
    ).toEqual([]);
  });

  it('puts no key, password or connection string in an output', async () => {
    const leaks = (await models()).flatMap(({ name, model }) =>
      [...model.outputs.values()]
        .filter(
          (o) =>
            /\blist\w*\(|primaryKey|password/i.test(o.value.text) ||
            /(key|password|connectionString)$/i.test(o.name),
        )
        .map((o) => `${name}:${o.location.line} ${o.name}`),
    );
    expect(leaks).toEqual([]);
  });
});
