/**
 * Refreshes infra/bicep-types/ from a checkout of Azure/bicep-types-az: one file per resource type and
 * API version the Bicep deploys (prod, premium and dev parameters), nothing else.
 *
 *   npx tsx scripts/refresh-bicep-types.ts /path/to/bicep-types-az [commit]
 *
 * Upstream keeps one `generated/<service>/<provider>/<apiVersion>/types.json` per provider and version,
 * every resource type of that version in one array. This cuts out the nodes one resource type reaches,
 * renumbered with its ResourceType node first (the layout tools/bicepcheck/type-library.ts reads).
 */
import fs from 'node:fs';
import path from 'node:path';
import { deploymentFor } from '../tools/bicepcheck/check-templates';
import { KNOWN_UNTYPED } from '../tools/bicepcheck/untyped';

interface Node {
  $type: string;
  [field: string]: unknown;
}

const repoRoot = path.resolve(__dirname, '..');
const outDir = path.join(repoRoot, 'infra/bicep-types');

/** `<type>@<apiVersion>` of every resource the prod and dev deployments declare (existing ones too). */
async function usedTypes(): Promise<string[]> {
  const used = new Set<string>();
  for (const params of ['prod.bicepparam', 'dev.bicepparam', 'premium.bicepparam']) {
    const d = await deploymentFor(path.join(repoRoot, 'infra/bicep', params));
    for (const r of d.resources) used.add(`${r.type}@${r.apiVersion}`);
  }
  return [...used].filter((key) => !(key in KNOWN_UNTYPED)).sort();
}

/** The upstream types.json files that can hold a provider's types at an API version. */
function candidateFiles(checkout: string, type: string, apiVersion: string): string[] {
  const provider = type.split('/')[0]!.toLowerCase();
  const generated = path.join(checkout, 'generated');
  return fs
    .readdirSync(generated)
    .map((service) => path.join(generated, service, provider, apiVersion, 'types.json'))
    .filter((file) => fs.existsSync(file));
}

/** Every `{ $ref: '#/N' }` inside a node, replaced through `map` when given. */
function refs(value: unknown, map?: (index: number) => number): number[] {
  const found: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      if (typeof obj.$ref === 'string' && /^#\/\d+$/.test(obj.$ref)) {
        const index = Number(obj.$ref.slice(2));
        found.push(index);
        if (map) obj.$ref = `#/${map(index)}`;
      }
      for (const child of Object.values(obj)) if (child !== obj.$ref) walk(child);
    }
  };
  walk(value);
  return found;
}

/** The nodes reachable from one ResourceType node, renumbered in visiting order (it first). */
export function cutOut(nodes: Node[], start: number): Node[] {
  const order: number[] = [];
  const position = new Map<number, number>();
  const queue = [start];
  while (queue.length > 0) {
    const index = queue.shift()!;
    if (position.has(index)) continue;
    if (!nodes[index]) throw new Error(`dangling reference #/${index}`);
    position.set(index, order.length);
    order.push(index);
    queue.push(...refs(nodes[index]));
  }
  return order.map((index) => {
    const copy = structuredClone(nodes[index]!);
    refs(copy, (i) => position.get(i)!);
    return copy;
  });
}

function extract(checkout: string, key: string): Node[] {
  const [type, apiVersion] = key.split('@') as [string, string];
  for (const file of candidateFiles(checkout, type, apiVersion)) {
    const nodes = JSON.parse(fs.readFileSync(file, 'utf8')) as Node[];
    const start = nodes.findIndex(
      (n) => n.$type === 'ResourceType' && String(n.name).toLowerCase() === key.toLowerCase(),
    );
    if (start >= 0) return cutOut(nodes, start);
  }
  throw new Error(
    `${key}: no ResourceType node in ${checkout}/generated/*/${type.split('/')[0]}/${apiVersion}`,
  );
}

async function main(): Promise<void> {
  const [checkout, commit] = process.argv.slice(2);
  if (!checkout)
    throw new Error('usage: tsx scripts/refresh-bicep-types.ts <bicep-types-az checkout> [commit]');
  const keys = await usedTypes();
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const index: Record<string, string> = {};
  for (const key of keys) {
    const file = `${key.replace(/\//g, '_')}.json`;
    fs.writeFileSync(path.join(outDir, file), JSON.stringify(extract(checkout, key)) + '\n');
    index[key] = file;
  }
  fs.writeFileSync(path.join(outDir, 'index.json'), JSON.stringify(index, null, 2) + '\n');
  fs.writeFileSync(
    path.join(outDir, 'SOURCE.json'),
    JSON.stringify(
      { repository: 'https://github.com/Azure/bicep-types-az', commit: commit ?? 'unknown', licence: 'MIT' },
      null,
      2,
    ) + '\n',
  );
  console.log(`${keys.length} type definitions written to ${path.relative(repoRoot, outDir)}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
