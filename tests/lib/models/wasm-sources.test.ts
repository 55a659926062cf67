import { WAT_SOURCES, compileWat } from '../../../scripts/compile-wat';
import { ALS_CG_WASM_BASE64 } from '../../../src/lib/models/als-cg-wasm';
import { DOT_SCORES_WASM_BASE64 } from '../../../src/lib/models/dot-scores-wasm';

// The app embeds its WebAssembly as base64; the .wat files are the source. They must not drift.
const embedded: Record<string, string> = { DOT_SCORES_WASM_BASE64, ALS_CG_WASM_BASE64 };

describe.each(WAT_SOURCES)('$wat', ({ wat, constant }) => {
  it(`compiles to the bytes embedded as ${constant}`, async () => {
    expect((await compileWat(wat)).toString('base64')).toBe(embedded[constant]);
  });
});
