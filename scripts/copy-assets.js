// Copies the non-TypeScript files the compiled app reads at run time (Lua scripts) from src/ into
// dist/src/, beside the compiled modules that load them by path. JSON is compiled in by tsc.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const ASSET = /\.lua$/;

function copyTree(from, to) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(source, target);
    else if (ASSET.test(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(source, target);
    }
  }
}

copyTree(path.join(root, 'src'), path.join(root, 'dist', 'src'));
