import type { Node } from 'web-tree-sitter';
import type { SourceLocation } from './diagnostics';
import type { ParsedFile } from './parser';

/** A decorator on a declaration, e.g. `@description('...')`: its name and argument nodes. */
export interface Decorator {
  name: string;
  args: Node[];
}

export interface Declaration {
  name: string;
  node: Node;
  decorators: Decorator[];
  location: SourceLocation;
}

export interface ParamDeclaration extends Declaration {
  typeNode: Node | undefined;
  defaultValue: Node | undefined;
}

export interface ValueDeclaration extends Declaration {
  value: Node;
}

/** A resource or module: its type string (`type@version` or module path) and body (object, if or for). */
export interface DeployableDeclaration extends Declaration {
  target: string;
  targetLocation: SourceLocation;
  existing: boolean;
  body: Node;
}

export interface FunctionDeclaration extends Declaration {
  parameterNames: string[];
  value: Node;
}

/** The top-level declarations of one .bicep or .bicepparam file, in source order. */
export interface FileModel {
  parsed: ParsedFile;
  params: Map<string, ParamDeclaration>;
  vars: Map<string, ValueDeclaration>;
  outputs: Map<string, ValueDeclaration>;
  resources: Map<string, DeployableDeclaration>;
  modules: Map<string, DeployableDeclaration>;
  functions: Map<string, FunctionDeclaration>;
  /** The template a .bicepparam file applies to (its `using` path). */
  using: string | undefined;
  /** `import { a, b as c } from 'file.bicep'`: local name -> exported name and file. */
  imports: Map<string, { exported: string; from: string }>;
}

export function locationOf(file: string, node: Node): SourceLocation {
  return { file, line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
}

/** Text of a string literal without interpolation (type strings, paths), or undefined. */
export function literalText(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  if (node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  return node.namedChildren.map((c) => c?.text ?? '').join('');
}

function named(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

function afterEquals(node: Node): Node | undefined {
  const children = node.children.filter((c): c is Node => c !== null);
  const eq = children.findIndex((c) => c.type === '=');
  if (eq < 0) return undefined;
  return children.slice(eq + 1).find((c) => c.isNamed);
}

function decoratorsOf(node: Node): Decorator[] {
  return named(node).flatMap((decorator) => {
    const call = named(decorator)[0];
    const fn = call?.childForFieldName('function');
    const args = call?.childForFieldName('arguments');
    if (!call || !fn) return [];
    const name = fn.type === 'member_expression' ? (fn.childForFieldName('property')?.text ?? '') : fn.text;
    return [{ name, args: args ? named(args) : [] }];
  });
}

export function buildFileModel(parsed: ParsedFile): FileModel {
  const model: FileModel = {
    parsed,
    params: new Map(),
    vars: new Map(),
    outputs: new Map(),
    resources: new Map(),
    modules: new Map(),
    functions: new Map(),
    using: undefined,
    imports: new Map(),
  };
  let pending: Decorator[] = [];
  for (const node of named(parsed.root)) {
    if (node.type === 'decorators') {
      pending = pending.concat(decoratorsOf(node));
      continue;
    }
    const decorators = pending;
    pending = [];
    const nameNode = node.childForFieldName('name') ?? named(node).find((c) => c.type === 'identifier');
    const base = {
      name: nameNode?.text ?? '',
      node,
      decorators,
      location: locationOf(parsed.file, node),
    };
    switch (node.type) {
      case 'import_functionality': {
        const from = literalText(named(node).find((c) => c.type === 'string'));
        const ids = named(node).filter((c) => c.type === 'identifier');
        // `a as b` pairs come as consecutive identifiers with an `as` token between them.
        const tokens = node.children.filter((c): c is Node => c !== null);
        for (const id of ids) {
          const next = tokens[tokens.indexOf(tokens.find((t) => t.id === id.id) as Node) + 1];
          if (next?.type === 'as') continue;
          const prev = tokens[tokens.findIndex((t) => t.id === id.id) - 1];
          const exported =
            prev?.type === 'as'
              ? (tokens[tokens.findIndex((t) => t.id === id.id) - 2]?.text ?? id.text)
              : id.text;
          if (from) model.imports.set(id.text, { exported, from });
        }
        break;
      }
      case 'using_statement':
        model.using = literalText(named(node)[0]);
        break;
      case 'parameter_declaration':
        model.params.set(base.name, {
          ...base,
          typeNode: named(node).find((c) => c.type === 'type'),
          defaultValue: afterEquals(node),
        });
        break;
      case 'variable_declaration':
      case 'output_declaration': {
        const value = afterEquals(node);
        if (value)
          (node.type === 'variable_declaration' ? model.vars : model.outputs).set(base.name, {
            ...base,
            value,
          });
        break;
      }
      case 'resource_declaration':
      case 'module_declaration': {
        const target = named(node).find((c) => c.type === 'string');
        const body = afterEquals(node);
        if (!target || !body) break;
        const declaration = {
          ...base,
          target: literalText(target) ?? '',
          targetLocation: locationOf(parsed.file, target),
          existing: node.children.some((c) => c?.type === 'existing'),
          body,
        };
        (node.type === 'resource_declaration' ? model.resources : model.modules).set(base.name, declaration);
        break;
      }
      case 'user_defined_function': {
        const parameters =
          node.childForFieldName('parameters') ?? named(node).find((c) => c.type === 'parameters');
        const value = named(node).at(-1);
        if (!value) break;
        model.functions.set(base.name, {
          ...base,
          parameterNames: parameters ? named(parameters).map((p) => named(p)[0]?.text ?? '') : [],
          value,
        });
        break;
      }
      default:
        break;
    }
  }
  return model;
}
