import Module from 'node:module';
import path from 'node:path';

/**
 * Loading an app outside jest: `require('@azure/functions-core')` must return the host's stand-in
 * (core-api.ts), as the real worker provides that module to the app. Jest does the same through
 * moduleNameMapper (jest.config.js).
 */
const CORE_API = path.join(__dirname, 'core-api');
const HOOKED = Symbol.for('tripgen.funchost.core-api-resolver');

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
type ModuleInternals = typeof Module & { _resolveFilename: ResolveFilename; [HOOKED]?: boolean };

export function installCoreApiResolver(): void {
  const internals = Module as ModuleInternals;
  if (internals[HOOKED]) return;
  const original = internals._resolveFilename;
  internals._resolveFilename = function (request, parent, isMain, options) {
    const target = request === '@azure/functions-core' ? CORE_API : request;
    return original.call(this, target, parent, isMain, options);
  };
  internals[HOOKED] = true;
}

/** Modules the previous loadEntry() brought in, dropped before the next load so it starts fresh. */
let previousLoad: string[] = [];

/**
 * Requires the app's entry in a fresh module registry, so one process can start several hosts in a
 * row (benchmarks, the CLI's restart). Under jest, jest.isolateModules gives the same isolation.
 */
export function loadEntry(entry: string): void {
  const file = path.resolve(entry);
  if (typeof jest !== 'undefined') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry is only known at run time
    jest.isolateModules(() => require(file));
    return;
  }
  installCoreApiResolver();
  for (const key of previousLoad) delete require.cache[key];
  const before = new Set(Object.keys(require.cache));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry is only known at run time
  require(file);
  previousLoad = Object.keys(require.cache).filter((key) => !before.has(key));
}
