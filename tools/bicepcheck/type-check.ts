import type { ResourceInstance } from './deployment';
import { at, type Diagnostic, type SourceLocation } from './diagnostics';
import {
  FLAGS,
  type PropertyType,
  type ResourceTypeFile,
  type TypeLibrary,
  type TypeNode,
  type TypeRef,
} from './type-library';
import { KNOWN_UNTYPED } from './untyped';
import {
  UNKNOWN,
  describe,
  isLambda,
  isObjectValue,
  isSymbolRef,
  positionsOf,
  setPositions,
  type ObjectValue,
  type Value,
} from './values';

// Resource-declaration keywords of Bicep that are not part of the ARM body.
const BICEP_ONLY_KEYS = new Set(['parent', 'dependsOn', 'scope']);

interface Checker {
  file: ResourceTypeFile;
  out: Diagnostic[];
}

function propertiesOf(node: TypeNode): Record<string, PropertyType> {
  return (node.properties as Record<string, PropertyType> | undefined) ?? {};
}

function kindOf(v: Value): string {
  if (Array.isArray(v)) return 'array';
  if (isObjectValue(v)) return 'object';
  return typeof v === 'number' ? 'int' : typeof v;
}

function literalValues(c: Checker, node: TypeNode): string[] | undefined {
  if (node.$type === 'StringLiteralType') return [node.value as string];
  if (node.$type !== 'UnionType') return undefined;
  const values: string[] = [];
  for (const ref of node.elements as TypeRef[]) {
    const inner = literalValues(c, c.file.resolve(ref));
    if (!inner) return undefined;
    values.push(...inner);
  }
  return values;
}

function memberLocation(container: object, key: string, fallback: SourceLocation): SourceLocation {
  return positionsOf(container)?.members.get(key) ?? fallback;
}

function checkValue(c: Checker, value: Value, ref: TypeRef, path: string, loc: SourceLocation): void {
  // Unknown, computed-at-deploy-time and omitted (null) values are skipped, not guessed.
  if (value === UNKNOWN || value === null || isLambda(value) || isSymbolRef(value)) return;
  const type = c.file.resolve(ref);
  const fail = (message: string): void => void c.out.push(at(loc, `${path}: ${message}`));
  switch (type.$type) {
    case 'AnyType':
      return;
    case 'StringType': {
      if (typeof value !== 'string')
        return fail(`expected a string, got ${kindOf(value)} ${describe(value)}`);
      const { minLength, maxLength, pattern } = type as {
        minLength?: number;
        maxLength?: number;
        pattern?: string;
      };
      if (minLength !== undefined && value.length < minLength)
        fail(`'${value}' is shorter than ${minLength}`);
      if (maxLength !== undefined && value.length > maxLength) fail(`'${value}' is longer than ${maxLength}`);
      if (pattern !== undefined && !safeTest(pattern, value)) fail(`'${value}' does not match ${pattern}`);
      return;
    }
    case 'StringLiteralType':
      if (value !== type.value) fail(`expected '${String(type.value)}', got ${describe(value)}`);
      return;
    case 'IntegerType': {
      if (typeof value !== 'number' || !Number.isInteger(value))
        return fail(`expected an integer, got ${describe(value)}`);
      const { minValue, maxValue } = type as { minValue?: number; maxValue?: number };
      if (minValue !== undefined && value < minValue) fail(`${value} is below the minimum ${minValue}`);
      if (maxValue !== undefined && value > maxValue) fail(`${value} is above the maximum ${maxValue}`);
      return;
    }
    case 'BooleanType':
      if (typeof value !== 'boolean') fail(`expected a bool, got ${describe(value)}`);
      return;
    case 'ArrayType':
      if (!Array.isArray(value)) return fail(`expected an array, got ${kindOf(value)}`);
      value.forEach((item, i) =>
        checkValue(c, item, type.itemType as TypeRef, `${path}[${i}]`, memberLocation(value, String(i), loc)),
      );
      return;
    case 'UnionType':
      return checkUnion(c, value, type, path, loc);
    case 'ObjectType':
      if (!isObjectValue(value)) return fail(`expected an object, got ${kindOf(value)}`);
      return checkObject(
        c,
        value,
        propertiesOf(type),
        type.additionalProperties as TypeRef | undefined,
        path,
        loc,
      );
    case 'DiscriminatedObjectType':
      if (!isObjectValue(value)) return fail(`expected an object, got ${kindOf(value)}`);
      return checkDiscriminated(c, value, type, path, loc);
    default:
      return;
  }
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return true; // a .NET-only pattern JavaScript cannot compile: not checked
  }
}

function checkUnion(c: Checker, value: Value, type: TypeNode, path: string, loc: SourceLocation): void {
  const attempts = (type.elements as TypeRef[]).map((ref) => {
    const trial: Checker = { file: c.file, out: [] };
    checkValue(trial, value, ref, path, loc);
    return trial.out;
  });
  if (attempts.some((errors) => errors.length === 0)) return;
  const literals = literalValues(c, type);
  if (literals) {
    c.out.push(
      at(loc, `${path}: ${describe(value)} is not one of ${literals.map((l) => `'${l}'`).join(' | ')}`),
    );
    return;
  }
  const closest = attempts.reduce((best, errors) => (errors.length < best.length ? errors : best));
  c.out.push(...closest);
}

function checkObject(
  c: Checker,
  value: ObjectValue,
  properties: Record<string, PropertyType>,
  additional: TypeRef | undefined,
  path: string,
  loc: SourceLocation,
): void {
  const names = Object.keys(properties);
  for (const [key, member] of Object.entries(value)) {
    const memberLoc = memberLocation(value, key, loc);
    const memberPath = path ? `${path}.${key}` : key;
    const property = properties[key];
    if (!property) {
      const sameButCase = names.find((n) => n.toLowerCase() === key.toLowerCase());
      if (additional) checkValue(c, member, additional, memberPath, memberLoc);
      else if (sameButCase) c.out.push(at(memberLoc, `${memberPath}: property is spelled '${sameButCase}'`));
      else c.out.push(at(memberLoc, `${memberPath}: unknown property (allowed: ${names.join(', ')})`));
      continue;
    }
    if ((property.flags ?? 0) & FLAGS.readOnly) {
      c.out.push(at(memberLoc, `${memberPath}: read-only property cannot be set`));
      continue;
    }
    checkValue(c, member, property.type, memberPath, memberLoc);
  }
  // An object with keys the evaluator could not see may hold the missing ones.
  if (positionsOf(value)?.open) return;
  for (const [name, property] of Object.entries(properties)) {
    const flags = property.flags ?? 0;
    if (flags & FLAGS.required && !(flags & FLAGS.readOnly) && !(name in value)) {
      c.out.push(at(loc, `${path ? `${path}.` : ''}${name}: required property is missing`));
    }
  }
}

function checkDiscriminated(
  c: Checker,
  value: ObjectValue,
  type: TypeNode,
  path: string,
  loc: SourceLocation,
): void {
  const discriminator = type.discriminator as string;
  const base = propertiesOf(
    type.baseProperties ? { $type: 'ObjectType', properties: type.baseProperties } : type,
  );
  const elements = type.elements as Record<string, TypeRef>;
  const tag = value[discriminator];
  if (typeof tag !== 'string') {
    // The variant is not known: only the shared properties can be checked, loosely.
    const known = Object.fromEntries(Object.entries(value).filter(([k]) => k in base));
    return checkObject(c, known, base, undefined, path, loc);
  }
  const element = elements[tag];
  const tagPath = path ? `${path}.${discriminator}` : discriminator;
  if (!element) {
    const allowed = Object.keys(elements)
      .map((e) => `'${e}'`)
      .join(' | ');
    c.out.push(
      at(memberLocation(value, discriminator, loc), `${tagPath}: '${tag}' is not one of ${allowed}`),
    );
    return;
  }
  const variant = c.file.resolve(element);
  const properties = { ...base, ...propertiesOf(variant) };
  checkObject(c, value, properties, variant.additionalProperties as TypeRef | undefined, path, loc);
}

/**
 * Type-checks one evaluated resource body against its definition. Existing resources are not
 * deployed, so only declared ones are checked. Types without a definition are reported unless known.
 */
export function checkResource(library: TypeLibrary, resource: ResourceInstance): Diagnostic[] {
  if (resource.existing) return [];
  const key = `${resource.type}@${resource.apiVersion}`;
  const file = library.get(resource.type, resource.apiVersion);
  if (!file) {
    if (key in KNOWN_UNTYPED) return [];
    return [at(resource.typeLocation, `${key}: no type definition in infra/bicep-types (index.json)`)];
  }
  if (!isObjectValue(resource.body)) return [];
  const body: ObjectValue = Object.fromEntries(
    Object.entries(resource.body).filter(([k]) => !BICEP_ONLY_KEYS.has(k)),
  );
  const positions = positionsOf(resource.body);
  if (positions) setPositions(body, positions);
  const c: Checker = { file, out: [] };
  checkValue(c, body, file.bodyRef(), '', resource.declaration);
  return c.out;
}
