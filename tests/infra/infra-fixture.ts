import path from 'node:path';
import { deploymentFor } from '../../tools/bicepcheck/check-templates';
import type { Deployment, ResourceInstance } from '../../tools/bicepcheck/deployment';
import { formatDiagnostic, type Diagnostic } from '../../tools/bicepcheck/diagnostics';
import { TypeLibrary, defaultTypesDir } from '../../tools/bicepcheck/type-library';
import { isObjectValue, isSymbolRef, type ObjectValue, type Value } from '../../tools/bicepcheck/values';

export const repoRoot = path.resolve(__dirname, '../..');
export const bicepDir = path.join(repoRoot, 'infra/bicep');
export const prodParams = path.join(bicepDir, 'prod.bicepparam');
export const devParams = path.join(bicepDir, 'dev.bicepparam');

let library: TypeLibrary | undefined;
export function typeLibrary(): TypeLibrary {
  library ??= new TypeLibrary(defaultTypesDir(repoRoot));
  return library;
}

const deployments = new Map<string, Promise<Deployment>>();
/** The deployment a parameter file describes, evaluated once per test file. */
export function deployment(paramFile: string): Promise<Deployment> {
  let d = deployments.get(paramFile);
  if (!d) deployments.set(paramFile, (d = deploymentFor(paramFile)));
  return d;
}

/** Diagnostics as `file:line:column: message` relative to the repository, for readable failures. */
export function report(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => formatDiagnostic(d, repoRoot));
}

/** The deployed (not `existing`) resources of a type. */
export function resourcesOfType(d: Deployment, type: string): ResourceInstance[] {
  return d.resources.filter((r) => !r.existing && r.type.toLowerCase() === type.toLowerCase());
}

/** The one deployed resource of a type, failing loudly when there is not exactly one. */
export function single(d: Deployment, type: string): ObjectValue {
  const found = resourcesOfType(d, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return body(found[0] as ResourceInstance);
}

export function body(r: ResourceInstance): ObjectValue {
  if (!isObjectValue(r.body)) throw new Error(`${r.symbol}: body could not be evaluated`);
  return r.body;
}

/** Follows a dotted path through evaluated objects (undefined when a step is missing). */
export function get(value: Value | undefined, dotted: string): Value | undefined {
  let cursor: Value | undefined = value;
  for (const step of dotted.split('.')) {
    // `parent.name` and `scope.name` follow a reference to another declared resource.
    if (cursor !== undefined && isSymbolRef(cursor) && step === 'name') cursor = cursor.name;
    else if (cursor === undefined || !isObjectValue(cursor)) return undefined;
    else cursor = cursor[step];
  }
  return cursor;
}
