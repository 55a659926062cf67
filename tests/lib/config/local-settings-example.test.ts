import fs from 'node:fs';
import path from 'node:path';
import { loadSettings, SETTING_NAMES } from '../../../src/lib/config/settings';

const example = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../local.settings.json.example'), 'utf8'),
) as {
  Values: Record<string, string>;
  _comments: Record<string, string>;
};

describe('local.settings.json.example', () => {
  it('is a configuration the app starts with', () => {
    expect(() => loadSettings(example.Values)).not.toThrow();
  });

  it('documents every setting the app reads, with its Azure form', () => {
    const documented = JSON.stringify(example);
    const missing = SETTING_NAMES.filter((name) => !documented.includes(name));
    expect(missing).toEqual([]);
    for (const name of Object.keys(example.Values)) {
      const comment =
        example._comments[name] ?? example._comments[name.replace(/^TTL_.*_SECONDS$/, 'TTL_*_SECONDS')];
      expect(comment).toBeDefined();
    }
  });
});
