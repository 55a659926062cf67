import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { Diagnostic, SourceLocation } from './diagnostics';
import { evaluate, loopSource, loopVariables } from './evaluator';
import { buildFileModel, type DeployableDeclaration, type FileModel } from './file-model';
import type { BicepParser } from './parser';
import { Scope } from './scope';
import { UNKNOWN, isObjectValue, type Value } from './values';

/** One resource body as deployed: per loop element, with its condition and evaluated body. */
export interface ResourceInstance {
  file: string;
  symbol: string;
  /** Module symbols from the entry template down, e.g. ['redis']. */
  modulePath: string[];
  type: string;
  apiVersion: string;
  existing: boolean;
  declaration: SourceLocation;
  typeLocation: SourceLocation;
  /** true, false or UNKNOWN (`if (...)` on the declaration). */
  condition: Value;
  body: Value;
}

export interface Deployment {
  resources: ResourceInstance[];
  outputs: Record<string, Value>;
  /** Every .bicep file reached from the entry template. */
  files: string[];
  diagnostics: Diagnostic[];
}

export interface EvaluateOptions {
  /** Parameter values (e.g. from a .bicepparam); missing ones use the defaults. */
  params?: Record<string, Value>;
  /** In-memory replacements of file contents, by absolute path (tests seed mistakes this way). */
  overrides?: ReadonlyMap<string, string>;
}

interface Context {
  parser: BicepParser;
  overrides: ReadonlyMap<string, string>;
  files: Set<string>;
  diagnostics: Diagnostic[];
}

function loadModel(ctx: Context, file: string): FileModel {
  ctx.files.add(file);
  const parsed = ctx.parser.parse(file, ctx.overrides.get(file));
  ctx.diagnostics.push(...parsed.syntaxErrors);
  return buildFileModel(parsed);
}

/** Evaluates one template file with given parameter values; modules become nested evaluators. */
class TemplateEvaluator {
  readonly scope: Scope;
  private readonly cache = new Map<string, Value>();
  private readonly busy = new Set<string>();
  private readonly childEvaluators = new Map<string, TemplateEvaluator[]>();
  /** The `if` of the module declaration that created this evaluator (true at the entry template). */
  moduleCondition: Value = true;

  constructor(
    private readonly ctx: Context,
    readonly model: FileModel,
    private readonly params: Record<string, Value>,
    readonly modulePath: string[],
  ) {
    this.scope = new Scope(model.parsed.file, (name) => this.resolve(name));
  }

  private resolve(name: string): Value | undefined {
    if (this.cache.has(name)) return this.cache.get(name);
    if (this.busy.has(name)) return UNKNOWN;
    this.busy.add(name);
    const value = this.compute(name);
    this.busy.delete(name);
    if (value !== undefined) this.cache.set(name, value);
    return value;
  }

  private compute(name: string): Value | undefined {
    const m = this.model;
    const param = m.params.get(name);
    if (param) {
      if (name in this.params) return this.params[name] as Value;
      return param.defaultValue ? evaluate(param.defaultValue, this.scope) : UNKNOWN;
    }
    const variable = m.vars.get(name);
    if (variable) return evaluate(variable.value, this.scope);
    const fn = m.functions.get(name);
    if (fn) {
      return {
        kind: 'lambda',
        call: (args) =>
          evaluate(
            fn.value,
            this.scope.with(Object.fromEntries(fn.parameterNames.map((p, i) => [p, args[i] ?? null]))),
          ),
      };
    }
    const resource = m.resources.get(name);
    if (resource) {
      const body = resource.body.type === 'object' ? evaluate(resource.body, this.scope) : UNKNOWN;
      return { kind: 'resource', name: isObjectValue(body) ? (body.name ?? UNKNOWN) : UNKNOWN };
    }
    const module = m.modules.get(name);
    if (module) {
      const [child, ...more] = this.children(name, module);
      return {
        kind: 'module',
        name: UNKNOWN,
        outputs: child && more.length === 0 ? child.outputs() : undefined,
      };
    }
    const imported = m.imports.get(name);
    if (imported && imported.exported !== '*') {
      const file = path.resolve(path.dirname(m.parsed.file), imported.from);
      return new TemplateEvaluator(this.ctx, loadModel(this.ctx, file), {}, this.modulePath).scope.lookup(
        imported.exported,
      );
    }
    return undefined;
  }

  /** The evaluators of a module declared here (one per loop element), built once; none for registry modules. */
  children(symbol: string, module: DeployableDeclaration): TemplateEvaluator[] {
    const existing = this.childEvaluators.get(symbol);
    if (existing) return existing;
    if (module.target.includes(':')) return [];
    const file = path.resolve(path.dirname(this.model.parsed.file), module.target);
    const evaluated = this.bodies(module.body);
    const specs = evaluated.map(({ body }) => body);
    const built = specs.map((spec, i) => {
      const params =
        isObjectValue(spec) && isObjectValue(spec.params ?? null)
          ? (spec.params as Record<string, Value>)
          : {};
      const label = specs.length > 1 ? `${symbol}[${i}]` : symbol;
      const child = new TemplateEvaluator(this.ctx, loadModel(this.ctx, file), params, [
        ...this.modulePath,
        label,
      ]);
      child.moduleCondition = evaluated[i]?.condition ?? true;
      return child;
    });
    this.childEvaluators.set(symbol, built);
    return built;
  }

  outputs(): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const [name, o] of this.model.outputs) out[name] = evaluate(o.value, this.scope);
    return out;
  }

  /** Every resource instance of this file and, depth first, of its modules. */
  resources(): ResourceInstance[] {
    const own = [...this.model.resources.values()].flatMap((r) => this.instances(r));
    // A resource of a module that is not deployed (`module x '...' = if (false)`) is not deployed either.
    const nested = [...this.model.modules].flatMap(([symbol, module]) =>
      this.children(symbol, module).flatMap((child) =>
        child.resources().map((r) => (child.moduleCondition === false ? { ...r, condition: false } : r)),
      ),
    );
    return own.concat(nested);
  }

  private instances(r: DeployableDeclaration): ResourceInstance[] {
    const [type = '', apiVersion = ''] = r.target.split('@');
    const base = {
      file: this.model.parsed.file,
      symbol: r.name,
      modulePath: this.modulePath,
      type,
      apiVersion,
      existing: r.existing,
      declaration: r.location,
      typeLocation: r.targetLocation,
    };
    return this.bodies(r.body).map((evaluated) => ({ ...base, ...evaluated }));
  }

  /** A declaration's body per loop element (one when there is no loop), with its condition. */
  private bodies(declared: Node): { condition: Value; body: Value }[] {
    if (declared.type !== 'for_statement') return [this.conditional(declared, this.scope)];
    const sourceNode = loopSource(declared);
    const bodyNode = declared.childForFieldName('body');
    if (!bodyNode) return [];
    const source = sourceNode ? evaluate(sourceNode, this.scope) : UNKNOWN;
    const { item, index } = loopVariables(declared);
    // An unknown loop source still has a body worth checking: once, with unknown loop variables.
    const elements = Array.isArray(source) ? source : [UNKNOWN];
    return elements.map((element, i) => {
      const bindings: Record<string, Value> = {};
      bindings[item] = element as Value;
      if (index) bindings[index] = Array.isArray(source) ? i : UNKNOWN;
      return this.conditional(bodyNode, this.scope.with(bindings));
    });
  }

  private conditional(body: Node, scope: Scope): { condition: Value; body: Value } {
    if (body.type !== 'if_statement') return { condition: true, body: evaluate(body, scope) };
    const parts = body.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
    const [cond, obj] = parts;
    return {
      condition: cond ? evaluate(cond, scope) : UNKNOWN,
      body: obj ? evaluate(obj, scope) : UNKNOWN,
    };
  }
}

/** Evaluates a template (and its modules) the way a deployment with these parameters would. */
export function evaluateDeployment(
  parser: BicepParser,
  entry: string,
  options: EvaluateOptions = {},
): Deployment {
  const ctx: Context = {
    parser,
    overrides: options.overrides ?? new Map(),
    files: new Set(),
    diagnostics: [],
  };
  const root = new TemplateEvaluator(ctx, loadModel(ctx, path.resolve(entry)), options.params ?? {}, []);
  const resources = root.resources();
  const outputs = root.outputs();
  return { resources, outputs, files: [...ctx.files], diagnostics: ctx.diagnostics };
}

/** Reads a .bicepparam file: the template it applies to and its parameter values. */
export function readParamFile(
  parser: BicepParser,
  paramFile: string,
  overrides: ReadonlyMap<string, string> = new Map(),
): { template: string; params: Record<string, Value>; diagnostics: Diagnostic[] } {
  const file = path.resolve(paramFile);
  const parsed = parser.parse(file, overrides.get(file));
  const model = buildFileModel(parsed);
  if (!model.using) throw new Error(`${file}: no using statement`);
  // The parser reads `param x = v` as `var x = v` (see parser.ts), so the values are the file's vars.
  const evaluator = new TemplateEvaluator(
    { parser, overrides, files: new Set(), diagnostics: [] },
    model,
    {},
    [],
  );
  const params: Record<string, Value> = {};
  for (const name of model.vars.keys()) params[name] = evaluator.scope.lookup(name) as Value;
  return {
    template: path.resolve(path.dirname(file), model.using),
    params,
    diagnostics: parsed.syntaxErrors,
  };
}
