import fs from 'node:fs';
import path from 'node:path';
import { KNOWN_UNTYPED } from '../../tools/bicepcheck/untyped';
import { deployment, devParams, premiumParams, prodParams, repoRoot } from './infra-fixture';

const typesDir = path.join(repoRoot, 'infra/bicep-types');
const index = JSON.parse(fs.readFileSync(path.join(typesDir, 'index.json'), 'utf8')) as Record<
  string,
  string
>;

describe('vendored type definitions (infra/bicep-types)', () => {
  it('hold exactly the type@apiVersion pairs the prod, premium and dev deployments declare', async () => {
    const used = new Set<string>();
    for (const params of [prodParams, premiumParams, devParams]) {
      for (const r of (await deployment(params)).resources) used.add(`${r.type}@${r.apiVersion}`);
    }
    const expected = [...used].filter((k) => !(k in KNOWN_UNTYPED)).sort();
    expect(Object.keys(index).sort()).toEqual(expected);
  });

  it('name the upstream commit they were cut from', () => {
    const source = JSON.parse(fs.readFileSync(path.join(typesDir, 'SOURCE.json'), 'utf8')) as Record<
      string,
      string
    >;
    expect(source.repository).toBe('https://github.com/Azure/bicep-types-az');
    expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('have a ResourceType node first in every file, named as indexed', () => {
    for (const [key, file] of Object.entries(index)) {
      const nodes = JSON.parse(fs.readFileSync(path.join(typesDir, file), 'utf8')) as {
        $type: string;
        name: string;
      }[];
      expect([nodes[0]?.$type, nodes[0]?.name.toLowerCase()]).toEqual(['ResourceType', key.toLowerCase()]);
    }
  });
});
