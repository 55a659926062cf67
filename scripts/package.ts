// npm run package [-- --skip-build] [-- --out <file>]: builds the app and writes the zip that
// `npm run deploy:zip` uploads to the package container WEBSITE_RUN_FROM_PACKAGE points at (README, Deploying).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { packageFileList, writeZip } from '../tools/package/build-zip';

export const DEFAULT_ZIP = 'artifacts/tripgen-ai-service.zip';

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..');
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const outFile = path.resolve(repoRoot, outIndex >= 0 ? (args[outIndex + 1] ?? DEFAULT_ZIP) : DEFAULT_ZIP);
  if (!args.includes('--skip-build')) {
    const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const count = await writeZip(repoRoot, packageFileList(repoRoot), outFile);
  console.log(`${path.relative(repoRoot, outFile)}: ${count} files`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
