import fs from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';
import { productionPackageDirs } from './production-packages';

/**
 * What the Functions host needs at the root of a run-from-package zip: the compiled app (package.json
 * `main` is dist/src/index.js), host.json, package.json, the lock file (a record of the exact versions)
 * and the production node_modules. Nothing else: no sources, tests, settings or dev tools.
 */
export const APP_FILES = ['host.json', 'package.json', 'package-lock.json'];
export const APP_DIRS = ['dist/src'];

function filesUnder(root: string, relativeDir: string, skipNested: boolean): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      // Nested node_modules are listed by npm ls as packages of their own (and may hold dev-only ones).
      if (entry.isDirectory() && !(skipNested && entry.name === 'node_modules')) walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  walk(relativeDir);
  return out;
}

/** Every file of the deployment zip, relative to the repository root (also its path inside the zip). */
export function packageFileList(repoRoot: string): string[] {
  const main = path.join(repoRoot, 'dist/src/index.js');
  if (!fs.existsSync(main)) throw new Error('dist/src/index.js is missing: run npm run build first');
  const app = APP_DIRS.flatMap((dir) => filesUnder(repoRoot, dir, false));
  const deps = productionPackageDirs(repoRoot).flatMap((dir) => filesUnder(repoRoot, dir, true));
  return [...APP_FILES, ...app, ...deps].map((f) => f.split(path.sep).join('/'));
}

/** Writes the zip; resolves with the number of files in it. */
export function writeZip(repoRoot: string, files: string[], outFile: string): Promise<number> {
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const zip = new yazl.ZipFile();
  // A fixed time keeps two builds of the same tree byte-identical.
  const mtime = new Date('2000-01-01T00:00:00Z');
  for (const file of files) zip.addFile(path.join(repoRoot, file), file, { mtime });
  zip.end();
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(outFile);
    zip.outputStream
      .pipe(out)
      .on('close', () => resolve(files.length))
      .on('error', reject);
  });
}
