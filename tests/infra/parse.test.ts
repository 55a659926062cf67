import fs from 'node:fs';
import path from 'node:path';
import { bicepFilesUnder, parseAll } from '../../tools/bicepcheck/check-templates';
import { bicepDir, report, repoRoot } from './infra-fixture';

describe('every Bicep file parses (tree-sitter-bicep, WASM)', () => {
  const files = bicepFilesUnder(path.join(repoRoot, 'infra'));

  it('finds the templates, modules and both parameter files', () => {
    const names = files.map((f) => path.relative(bicepDir, f));
    expect(names).toEqual(expect.arrayContaining(['main.bicep', 'prod.bicepparam', 'dev.bicepparam']));
    expect(names.filter((n) => n.startsWith('modules/')).length).toBeGreaterThanOrEqual(7);
  });

  it.each(files.map((f) => [path.relative(repoRoot, f), f]))('%s has no syntax error', async (_, file) => {
    expect(report(await parseAll([file]))).toEqual([]);
  });

  it('reports a seeded syntax error with its file and line', async () => {
    const file = path.join(bicepDir, 'modules/keyvault.bicep');
    const broken = fs
      .readFileSync(file, 'utf8')
      .replace('    enablePurgeProtection: true\n', '    enablePurgeProtection: true }\n');
    const line = broken.split('\n').findIndex((l) => l.includes('enablePurgeProtection: true }')) + 1;
    const found = await parseAll([file], new Map([[file, broken]]));
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]?.file).toBe(file);
    expect(found[0]?.line).toBeGreaterThanOrEqual(line);
  });

  it('reports a member access the grammar would misread, instead of evaluating it wrongly', async () => {
    const file = path.join(bicepDir, 'modules/servicebus-functions.bicep');
    const risky = fs
      .readFileSync(file, 'utf8')
      .replace('!contains(nestingKeys, (e.key))', '!contains(nestingKeys, e.key) && e.key != null');
    const found = await parseAll([file], new Map([[file, risky]]));
    expect(found.map((d) => d.message).join('\n')).toMatch(/ambiguous for tree-sitter-bicep/);
  });

  it('reads .bicepparam files, whose typeless params the grammar lacks, keeping lines and columns', async () => {
    const file = path.join(bicepDir, 'prod.bicepparam');
    const broken = fs
      .readFileSync(file, 'utf8')
      .replace('param redisShardCount = 6', 'param redisShardCount = = 6');
    const line = broken.split('\n').findIndex((l) => l.includes('= = 6')) + 1;
    const found = await parseAll([file], new Map([[file, broken]]));
    expect(found.map((d) => d.line)).toContain(line);
  });
});
