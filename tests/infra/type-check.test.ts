import fs from 'node:fs';
import path from 'node:path';
import { bicepFilesUnder, deploymentFor, typeCheck } from '../../tools/bicepcheck/check-templates';
import type { Diagnostic } from '../../tools/bicepcheck/diagnostics';
import { checkResource } from '../../tools/bicepcheck/type-check';
import { KNOWN_UNTYPED } from '../../tools/bicepcheck/untyped';
import {
  bicepDir,
  deployment,
  devParams,
  premiumParams,
  prodParams,
  report,
  typeLibrary,
} from './infra-fixture';

/** Type errors of the production deployment with one file's text replaced, and the seeded line. */
async function seeded(
  relative: string,
  from: string,
  to: string,
): Promise<{ found: Diagnostic[]; file: string; line: number }> {
  const file = path.join(bicepDir, relative);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain(from); // the seed must still apply to the real file
  const changed = text.replace(from, to);
  const line = changed.slice(0, changed.indexOf(to)).split('\n').length + (to.startsWith('\n') ? 1 : 0);
  const d = await deploymentFor(prodParams, new Map([[file, changed]]));
  return { found: typeCheck(typeLibrary(), d), file, line };
}

describe('resource bodies type-check against infra/bicep-types', () => {
  it.each([
    ['prod', prodParams],
    ['dev', devParams],
    ['premium', premiumParams],
  ])('%s: every resource body matches its type@apiVersion', async (_, params) => {
    const d = await deployment(params);
    expect(report(d.diagnostics)).toEqual([]);
    expect(report(typeCheck(typeLibrary(), d))).toEqual([]);
  });

  it('reaches every .bicep file that declares resources, so none goes unchecked', async () => {
    const d = await deployment(prodParams);
    const templates = bicepFilesUnder(bicepDir).filter(
      (f) => f.endsWith('.bicep') && /^resource /m.test(fs.readFileSync(f, 'utf8')),
    );
    expect(templates.length).toBeGreaterThanOrEqual(10);
    expect(d.files.sort()).toEqual(expect.arrayContaining(templates));
  });

  it('skips only the types known to have no definition', async () => {
    const d = await deployment(prodParams);
    const missing = new Set(
      d.resources
        .filter((r) => !typeLibrary().get(r.type, r.apiVersion))
        .map((r) => `${r.type}@${r.apiVersion}`),
    );
    expect([...missing].sort()).toEqual(Object.keys(KNOWN_UNTYPED).sort());
  });

  it('reports a type missing from the definitions at its declaration', async () => {
    const d = await deployment(prodParams);
    const vault = d.resources.find((r) => r.type === 'Microsoft.KeyVault/vaults' && !r.existing);
    if (!vault) throw new Error('no vault');
    const found = checkResource(typeLibrary(), { ...vault, apiVersion: '2099-01-01' });
    expect(found.map((f) => f.message)).toEqual([
      'Microsoft.KeyVault/vaults@2099-01-01: no type definition in infra/bicep-types (index.json)',
    ]);
    expect(found[0]?.line).toBe(vault.typeLocation.line);
  });

  it('catches a misspelled property, at its file and line', async () => {
    const { found, file, line } = await seeded(
      'modules/redis.bicep',
      'enableNonSslPort: false',
      'enableNonSslPrt: false',
    );
    expect(found).toContainEqual(
      expect.objectContaining({
        file,
        line,
        message: expect.stringMatching(/properties\.enableNonSslPrt: unknown property/),
      }),
    );
  });

  it('catches a wrong enum value, at its file and line', async () => {
    const { found, file, line } = await seeded(
      'modules/keyvault.bicep',
      "name: 'premium'",
      "name: 'Premium'",
    );
    expect(found).toContainEqual(
      expect.objectContaining({
        file,
        line,
        message: "properties.sku.name: \"Premium\" is not one of 'standard' | 'premium'",
      }),
    );
  });

  it('catches a wrong value type inside Redis configuration (strings in ARM)', async () => {
    const { found, line } = await seeded(
      'modules/redis.bicep',
      "'notify-keyspace-events': 'AKE'",
      "'notify-keyspace-events': true",
    );
    expect(found).toContainEqual(
      expect.objectContaining({
        line,
        message: expect.stringMatching(/notify-keyspace-events: expected a string/),
      }),
    );
  });

  it('catches a read-only property being set', async () => {
    const { found, line } = await seeded(
      'modules/redis.bicep',
      "    redisVersion: '6'\n",
      "    redisVersion: '6'\n    hostName: 'x'\n",
    );
    expect(found).toContainEqual(
      expect.objectContaining({
        line: line + 1,
        message: 'properties.hostName: read-only property cannot be set',
      }),
    );
  });

  it('catches a required property missing', async () => {
    const { found } = await seeded(
      'modules/servicebus.bicep',
      "    rights: ['Send', 'Listen', 'Manage']\n",
      '',
    );
    expect(found.map((f) => f.message)).toContain('properties.rights: required property is missing');
  });

  it('checks values that come from topology.json through loadJsonContent', async () => {
    const { found } = await seeded(
      'modules/servicebus-functions.bicep',
      'enablePartitioning: false',
      "enablePartitioning: 'no'",
    );
    // Five queues and two topics all take the override.
    expect(found.filter((f) => /enablePartitioning: expected a bool/.test(f.message))).toHaveLength(7);
  });
});
