import type { SourceLocation } from './diagnostics';

/**
 * Values the evaluator computes. UNKNOWN stands for anything it cannot know without Azure (resource IDs,
 * runtime properties, unsupported functions): checks skip it rather than guess.
 */
export const UNKNOWN = Symbol('unknown');
export type Unknown = typeof UNKNOWN;

export interface Lambda {
  kind: 'lambda';
  call(args: Value[]): Value;
}

/** A declared resource or module, referred to by its symbolic name. */
export interface SymbolRef {
  kind: 'resource' | 'module';
  name: Value;
  /** Module outputs the evaluator could compute; resources have none. */
  outputs?: Record<string, Value>;
}

export type Value =
  null | boolean | number | string | Value[] | { [key: string]: Value } | Lambda | SymbolRef | Unknown;

export type ObjectValue = { [key: string]: Value };

/** Source positions of an object literal's keys or an array literal's items, for diagnostics. */
export interface Positions {
  self: SourceLocation;
  members: Map<string, SourceLocation>;
  /** Set when a spread of an unknown value may have added keys this object does not list. */
  open?: boolean;
}

const positions = new WeakMap<object, Positions>();

export function setPositions(value: object, p: Positions): void {
  positions.set(value, p);
}

export function positionsOf(value: object): Positions | undefined {
  return positions.get(value);
}

export function isUnknown(v: Value): v is Unknown {
  return v === UNKNOWN;
}

export function isLambda(v: Value): v is Lambda {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as Lambda).kind === 'lambda';
}

export function isSymbolRef(v: Value): v is SymbolRef {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const kind = (v as SymbolRef).kind;
  return kind === 'resource' || kind === 'module';
}

/** A plain data object (not an array, lambda or symbol reference). */
export function isObjectValue(v: Value): v is ObjectValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isLambda(v) && !isSymbolRef(v);
}

/** True when the value or anything inside it is unknown. */
export function containsUnknown(v: Value): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (isObjectValue(v)) return Object.values(v).some(containsUnknown);
  return false;
}

export function describe(v: Value): string {
  if (v === UNKNOWN) return '<unknown>';
  if (isLambda(v)) return '<lambda>';
  if (isSymbolRef(v)) return `<${v.kind}>`;
  return JSON.stringify(v);
}
