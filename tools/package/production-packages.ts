import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Folders (relative to the repository) of every installed package the app needs at run time: npm's
 * own resolution of the production dependency closure, so the zip holds exactly what was tested.
 */
export function productionPackageDirs(repoRoot: string): string[] {
  const run = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // npm ls exits non-zero for problems such as an extraneous package, yet still lists the tree.
  if (!run.stdout) throw new Error(`npm ls --omit=dev failed: ${run.stderr}`);
  const nodeModules = path.join(repoRoot, 'node_modules') + path.sep;
  return run.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith(nodeModules))
    .map((line) => path.relative(repoRoot, line))
    .sort();
}
