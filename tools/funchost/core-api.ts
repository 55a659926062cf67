/**
 * The local host's stand-in for `@azure/functions-core`, the module the real Node worker provides to
 * the app. @azure/functions calls registerFunction() for every app.http / app.generic / df.app.* call
 * and setProgrammingModel() once; the host then invokes functions through that programming model,
 * exactly as the worker does, so the library's own converters run.
 *
 * State lives on globalThis so every copy of this module in a process (jest isolates module registries
 * per test file; the runtime hook maps the module name here) shares the one registry of the host that
 * is loading an app.
 */
export interface RpcBindingInfo {
  type: string;
  direction: 'in' | 'out' | 'inout';
  dataType?: string;
  [setting: string]: unknown;
}

export interface CoreFunctionMetadata {
  name: string;
  bindings: Record<string, RpcBindingInfo>;
  retryOptions?: unknown;
  [field: string]: unknown;
}

export type FunctionCallback = (...args: unknown[]) => unknown;

export interface CoreInvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], handler: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<unknown>;
}

export interface CoreProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreCtx: unknown): CoreInvocationModel;
  getCapabilities(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

export interface RegisteredFunction {
  metadata: CoreFunctionMetadata;
  callback: FunctionCallback;
  /** The model of the @azure/functions copy that registered it (each loaded app has its own). */
  programmingModel?: CoreProgrammingModel;
}

export interface CoreRegistry {
  functions: Map<string, RegisteredFunction>;
  programmingModel?: CoreProgrammingModel;
  hooks: Map<string, Set<(context: unknown) => unknown>>;
  logs: Array<{ level: string; category: string; message: string }>;
}

const KEY = Symbol.for('tripgen.funchost.core-registry');
type GlobalWithRegistry = typeof globalThis & { [KEY]?: CoreRegistry };

export function coreRegistry(): CoreRegistry {
  const holder = globalThis as GlobalWithRegistry;
  holder[KEY] ??= { functions: new Map(), hooks: new Map(), logs: [] };
  return holder[KEY];
}

/** Starts a fresh registry before an app is loaded. */
export function resetCoreRegistry(): CoreRegistry {
  (globalThis as GlobalWithRegistry)[KEY] = { functions: new Map(), hooks: new Map(), logs: [] };
  return coreRegistry();
}

export const version = '3.10.1';
export const hostVersion = '4.1037.0';

export function registerFunction(
  metadata: CoreFunctionMetadata,
  callback: FunctionCallback,
): { dispose(): void } {
  const registry = coreRegistry();
  if (registry.functions.has(metadata.name)) {
    throw new Error(`A function named "${metadata.name}" is already registered`);
  }
  registry.functions.set(metadata.name, { metadata, callback, programmingModel: registry.programmingModel });
  return { dispose: () => registry.functions.delete(metadata.name) };
}

export function setProgrammingModel(model: CoreProgrammingModel): void {
  coreRegistry().programmingModel = model;
}

export function getProgrammingModel(): CoreProgrammingModel | undefined {
  return coreRegistry().programmingModel;
}

export function registerHook(hookName: string, callback: (context: unknown) => unknown): { dispose(): void } {
  const hooks = coreRegistry().hooks;
  const set = hooks.get(hookName) ?? new Set();
  set.add(callback);
  hooks.set(hookName, set);
  return { dispose: () => set.delete(callback) };
}

export function log(level: string, category: string, message: string): void {
  coreRegistry().logs.push({ level, category, message });
}

export class Disposable {
  constructor(private readonly callOnDispose: () => void) {}
  dispose(): void {
    this.callOnDispose();
  }
}
