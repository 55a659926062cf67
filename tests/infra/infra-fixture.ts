import fs from 'node:fs';
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
/** Production with the seed's Premium cache (redisKind premium) instead of Azure Managed Redis. */
export const premiumParams = path.join(bicepDir, 'premium.bicepparam');

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

/** The deployed resources of a type: not `existing`, not switched off by their own or a module's `if`. */
export function resourcesOfType(d: Deployment, type: string): ResourceInstance[] {
  return d.resources.filter(
    (r) => !r.existing && r.condition !== false && r.type.toLowerCase() === type.toLowerCase(),
  );
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

/**
 * The production deployment with one text of one infra/bicep file replaced (the seed of a mistake),
 * and the file and line where the replacement now stands.
 */
export async function seededDeployment(
  relative: string,
  from: string,
  to: string,
  params = prodParams,
): Promise<{ d: Deployment; file: string; line: number }> {
  const file = path.join(bicepDir, relative);
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${relative} no longer contains ${JSON.stringify(from)}`);
  const changed = text.replace(from, to);
  const line = changed.slice(0, changed.indexOf(to)).split('\n').length + (to.startsWith('\n') ? 1 : 0);
  return { d: await deploymentFor(params, new Map([[file, changed]])), file, line };
}

/** The 1-based line of the first line of a file containing a text. */
export function lineOf(relative: string, needle: string): number {
  const lines = fs.readFileSync(path.join(bicepDir, relative), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`${relative} has no line containing ${JSON.stringify(needle)}`);
  return index + 1;
}
