import type { Node } from 'web-tree-sitter';
import { callBuiltin } from './builtins';
import { applyBinary } from './operators';
import { locationOf } from './file-model';
import type { Scope } from './scope';
import {
  UNKNOWN,
  isLambda,
  isObjectValue,
  isSymbolRef,
  setPositions,
  type Lambda,
  type ObjectValue,
  type Value,
} from './values';

function named(node: Node): Node[] {
  // Comments are named children in tree-sitter; they are never operands.
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

function hasToken(node: Node, token: string): boolean {
  return node.children.some((c) => c?.type === token);
}

/** Evaluates a Bicep expression; whatever needs Azure or is not modelled comes out UNKNOWN. */
export function evaluate(node: Node, scope: Scope): Value {
  switch (node.type) {
    case 'number':
      return Number(node.text);
    case 'boolean':
      return node.text === 'true';
    case 'null':
      return null;
    case 'string':
      return evaluateString(node, scope);
    case 'identifier':
      return scope.lookup(node.text);
    case 'parenthesized_expression': {
      const inner = named(node);
      return inner.length === 1 && inner[0] ? evaluate(inner[0], scope) : UNKNOWN;
    }
    case 'array':
      return evaluateArray(node, scope);
    case 'object':
      return evaluateObject(node, scope);
    case 'member_expression':
      return evaluateMember(node, scope);
    case 'subscript_expression':
      return evaluateSubscript(node, scope);
    case 'call_expression':
      return evaluateCall(node, scope);
    case 'binary_expression':
      return evaluateBinary(node, scope);
    case 'unary_expression': {
      const arg = node.childForFieldName('argument');
      const v = arg ? evaluate(arg, scope) : UNKNOWN;
      const op = node.childForFieldName('operator')?.type;
      if (op === '!' && typeof v === 'boolean') return !v;
      if (op === '-' && typeof v === 'number') return -v;
      return UNKNOWN;
    }
    case 'ternary_expression': {
      const [c, yes, no] = ['condition', 'consequence', 'alternative'].map((f) => node.childForFieldName(f));
      const cond = c ? evaluate(c, scope) : UNKNOWN;
      if (typeof cond !== 'boolean') return UNKNOWN;
      const branch = cond ? yes : no;
      return branch ? evaluate(branch, scope) : UNKNOWN;
    }
    case 'lambda_expression':
      return makeLambda(node, scope);
    case 'for_statement':
      return evaluateForExpression(node, scope);
    default:
      return UNKNOWN;
  }
}

function evaluateString(node: Node, scope: Scope): Value {
  let out = '';
  for (const child of node.children) {
    if (!child) continue;
    if (child.type === 'string_content') out += child.text;
    else if (child.type === 'interpolation') {
      const inner = named(child)[0];
      const v = inner ? evaluate(inner, scope) : UNKNOWN;
      if (v === UNKNOWN || isLambda(v) || isSymbolRef(v)) return UNKNOWN;
      out += typeof v === 'string' ? v : JSON.stringify(v);
    } else if (child.text.startsWith('\\')) out += unescape(child.text);
  }
  return out;
}

function unescape(seq: string): string {
  const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', "'": "'", '\\': '\\', $: '$' };
  const body = seq.slice(1);
  if (body.startsWith('u{')) return String.fromCodePoint(Number.parseInt(body.slice(2, -1), 16));
  return map[body] ?? body;
}

function evaluateArray(node: Node, scope: Scope): Value {
  const items: Value[] = [];
  const members = new Map<string, ReturnType<typeof locationOf>>();
  for (const child of named(node)) {
    if (child.type === 'decorators') continue;
    members.set(String(items.length), locationOf(scope.file, child));
    items.push(evaluate(child, scope));
  }
  setPositions(items, { self: locationOf(scope.file, node), members });
  return items;
}

function propertyKey(keyNode: Node, scope: Scope): string | undefined {
  if (keyNode.type === 'string') {
    const k = evaluate(keyNode, scope);
    return typeof k === 'string' ? k : undefined;
  }
  return keyNode.text;
}

function evaluateObject(node: Node, scope: Scope): Value {
  const out: ObjectValue = {};
  const members = new Map<string, ReturnType<typeof locationOf>>();
  let open = false;
  for (const prop of named(node)) {
    if (prop.type !== 'object_property') continue;
    const parts = named(prop);
    const keyNode = parts[0];
    const valueNode = parts.at(-1);
    if (!keyNode || !valueNode || keyNode === valueNode) continue; // nested child resource
    const key = propertyKey(keyNode, scope);
    if (key === undefined) {
      open = true;
      continue;
    }
    out[key] = evaluate(valueNode, scope);
    members.set(key, locationOf(scope.file, keyNode));
  }
  setPositions(out, { self: locationOf(scope.file, node), members, open });
  return out;
}

function evaluateMember(node: Node, scope: Scope): Value {
  const objNode = node.childForFieldName('object');
  const property = node.childForFieldName('property')?.text;
  if (!objNode || !property) return UNKNOWN;
  const obj = evaluate(objNode, scope);
  if (isSymbolRef(obj)) {
    if (property === 'name') return obj.name;
    if (property === 'outputs' && obj.outputs) return obj.outputs;
    return UNKNOWN;
  }
  if (!isObjectValue(obj)) return UNKNOWN;
  if (property in obj) return obj[property] as Value;
  return hasToken(node, '.?') ? null : UNKNOWN;
}

function evaluateSubscript(node: Node, scope: Scope): Value {
  const objNode = node.childForFieldName('object');
  const indexNode = node.childForFieldName('index');
  if (!objNode || !indexNode) return UNKNOWN;
  const obj = evaluate(objNode, scope);
  const index = evaluate(indexNode, scope);
  if (Array.isArray(obj) && typeof index === 'number') return obj[index] ?? UNKNOWN;
  if (isObjectValue(obj) && typeof index === 'string') {
    if (index in obj) return obj[index] as Value;
    return hasToken(node, '?') ? null : UNKNOWN;
  }
  return UNKNOWN;
}

function evaluateCall(node: Node, scope: Scope): Value {
  const fn = node.childForFieldName('function');
  const argsNode = node.childForFieldName('arguments');
  if (!fn) return UNKNOWN;
  const args = argsNode ? named(argsNode).map((a) => evaluate(a, scope)) : [];
  if (fn.type === 'identifier') {
    const local = scope.lookup(fn.text);
    if (isLambda(local)) return local.call(args);
    return callBuiltin(fn.text, args, scope.file);
  }
  // `sys.concat(...)` / `az.resourceGroup()` are built-ins; `storage.listKeys()` needs Azure.
  const namespace = fn.type === 'member_expression' ? fn.childForFieldName('object')?.text : undefined;
  const member = fn.childForFieldName('property')?.text;
  if ((namespace === 'sys' || namespace === 'az') && member) return callBuiltin(member, args, scope.file);
  return UNKNOWN;
}

function evaluateBinary(node: Node, scope: Scope): Value {
  const leftNode = node.childForFieldName('left');
  const rightNode = node.childForFieldName('right');
  const op = node.childForFieldName('operator')?.type;
  if (!leftNode || !rightNode || !op) return UNKNOWN;
  return applyBinary(op, evaluate(leftNode, scope), () => evaluate(rightNode, scope));
}

function makeLambda(node: Node, scope: Scope): Lambda {
  const first = named(node)[0];
  const names = !first ? [] : first.type === 'identifier' ? [first.text] : named(first).map((p) => p.text);
  return lambdaOf(names, named(node).at(-1), scope);
}

function lambdaOf(names: string[], body: Node | undefined, scope: Scope): Lambda {
  return {
    kind: 'lambda',
    call: (args) => {
      if (!body) return UNKNOWN;
      const bindings: Record<string, Value> = {};
      names.forEach((n, i) => (bindings[n] = args[i] ?? null));
      return evaluate(body, scope.with(bindings));
    },
  };
}

/** Loop variable names of a `for` (item, and the index when given as `(item, i)`). */
export function loopVariables(node: Node): { item: string; index?: string } {
  const params = named(node).find((c) => c.type === 'for_loop_parameters');
  if (params) {
    const [item, index] = named(params).map((p) => p.text);
    return { item: item ?? '', index };
  }
  return { item: node.childForFieldName('initializer')?.text ?? '' };
}

/** The iterated expression of a `for`: the named child after the `in` keyword. */
export function loopSource(node: Node): Node | undefined {
  const children = node.children.filter((c): c is Node => c !== null);
  const at = children.findIndex((c) => c.type === 'in');
  return children.slice(at + 1).find((c) => c.isNamed);
}

function evaluateForExpression(node: Node, scope: Scope): Value {
  const sourceNode = loopSource(node);
  const body = node.childForFieldName('body');
  const source = sourceNode ? evaluate(sourceNode, scope) : UNKNOWN;
  if (!Array.isArray(source) || !body) return UNKNOWN;
  const { item, index } = loopVariables(node);
  const out: Value[] = [];
  for (const [i, element] of source.entries()) {
    const inner = scope.with(index ? { [item]: element, [index]: i } : { [item]: element });
    out.push(evaluate(body, inner));
  }
  return out;
}
