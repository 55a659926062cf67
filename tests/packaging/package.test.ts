import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipEntryNames } from './zip-entries';

const repoRoot = path.resolve(__dirname, '../..');
const packageJson = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
};

// Dev tools that must never ship (none is a run-time dependency of the app).
const DEV_ONLY = [
  'jest',
  'ts-jest',
  'typescript',
  'eslint',
  'prettier',
  'tsx',
  'azurite',
  'bullmq',
  'tree-sitter-bicep',
  'web-tree-sitter',
  '@types/jest',
];

describe('npm run package', () => {
  let entries: Set<string>;

  beforeAll(() => {
    // The real command, build included, once for the whole file.
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tripgen-package-')), 'app.zip');
    const run = spawnSync('npm', ['run', 'package', '--', '--out', out], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 240_000, // spawnSync blocks the worker: jest's own timeout could not end a hang
    });
    if (run.status !== 0) throw new Error(`npm run package failed:\n${run.stdout}\n${run.stderr}`);
    entries = new Set(zipEntryNames(out));
  }, 300_000);

  it('holds the compiled entry point package.json names, host.json, package.json and the lock file', () => {
    expect(packageJson.main).toBe('dist/src/index.js');
    for (const f of [packageJson.main, 'host.json', 'package.json', 'package-lock.json'])
      expect(entries.has(f)).toBe(true);
  });

  it('holds every production dependency, the Functions library and durable-functions first', () => {
    const missing = Object.keys(packageJson.dependencies).filter(
      (d) => !entries.has(`node_modules/${d}/package.json`),
    );
    expect(missing).toEqual([]);
    expect(entries.has('node_modules/@azure/functions/package.json')).toBe(true);
    expect(entries.has('node_modules/durable-functions/package.json')).toBe(true);
  });

  it('ships no dev tool, test, TypeScript source, infrastructure or local settings', () => {
    const names = [...entries];
    expect(DEV_ONLY.filter((d) => entries.has(`node_modules/${d}/package.json`))).toEqual([]);
    expect(names.filter((n) => /^(src|tests|tools|infra|scripts|bench)\//.test(n))).toEqual([]);
    expect(names.filter((n) => n.startsWith('dist/') && n.endsWith('.ts') && !n.endsWith('.d.ts'))).toEqual(
      [],
    );
    expect(names.filter((n) => /(^|\/)local\.settings\.json$/.test(n))).toEqual([]);
    expect(names.filter((n) => n.startsWith('dist/') && !n.startsWith('dist/src/'))).toEqual([]);
  });

  it('keeps the run-time assets the build copies (Lua scripts)', () => {
    expect([...entries].some((n) => n.startsWith('dist/src/') && n.endsWith('.lua'))).toBe(true);
  });
});
