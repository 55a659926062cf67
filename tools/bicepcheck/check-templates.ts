import fs from 'node:fs';
import path from 'node:path';
import { checkArmRules } from './arm-rules';
import { evaluateDeployment, readParamFile, type Deployment } from './deployment';
import type { Diagnostic } from './diagnostics';
import { loadBicepParser } from './parser';
import { checkResource } from './type-check';
import type { TypeLibrary } from './type-library';

/** Every .bicep and .bicepparam file under a folder, sorted. */
export function bicepFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...bicepFilesUnder(full));
    else if (/\.bicep(param)?$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** Syntax errors (and grammar-ambiguous constructs) of each file. */
export async function parseAll(
  files: string[],
  overrides = new Map<string, string>(),
): Promise<Diagnostic[]> {
  const parser = await loadBicepParser();
  return files.flatMap((f) => parser.parse(f, overrides.get(f)).syntaxErrors);
}

/** The deployment a .bicepparam file describes, evaluated through its template and modules. */
export async function deploymentFor(
  paramFile: string,
  overrides = new Map<string, string>(),
): Promise<Deployment> {
  const parser = await loadBicepParser();
  const { template, params, diagnostics } = readParamFile(parser, paramFile, overrides);
  const deployment = evaluateDeployment(parser, template, { params, overrides });
  return { ...deployment, diagnostics: [...diagnostics, ...deployment.diagnostics] };
}

/** Type errors of every resource body of a deployment. */
export function typeCheck(library: TypeLibrary, deployment: Deployment): Diagnostic[] {
  return deployment.resources.flatMap((r) => checkResource(library, r));
}

/** Type errors plus what ARM rejects beyond the types (arm-rules.ts): everything a deployment would fail on. */
export function checkDeployment(library: TypeLibrary, deployment: Deployment): Diagnostic[] {
  return [...typeCheck(library, deployment), ...checkArmRules(deployment)];
}
