import fs from 'node:fs';
import path from 'node:path';

/** One node of a bicep-types file (see infra/bicep-types/README.md for the node kinds). */
export interface TypeNode {
  $type: string;
  [field: string]: unknown;
}

export interface TypeRef {
  $ref: string;
}

export interface PropertyType {
  type: TypeRef;
  flags?: number;
  description?: string;
}

/** Property flag bits of the type definitions. */
export const FLAGS = {
  required: 1,
  readOnly: 2,
  writeOnly: 4,
  deployTimeConstant: 8,
  identifier: 16,
} as const;

/** The type nodes of one resource type at one API version; references index into the same array. */
export class ResourceTypeFile {
  constructor(
    readonly key: string,
    private readonly nodes: TypeNode[],
  ) {}

  resolve(ref: TypeRef): TypeNode {
    const index = Number(ref.$ref.replace('#/', ''));
    const node = this.nodes[index];
    if (!node) throw new Error(`${this.key}: dangling type reference ${ref.$ref}`);
    return node;
  }

  bodyRef(): TypeRef {
    const resource = this.nodes[0];
    if (resource?.$type !== 'ResourceType') throw new Error(`${this.key}: element 0 is not a ResourceType`);
    return resource.body as TypeRef;
  }
}

/** The vendored definitions (infra/bicep-types), looked up by `<type>@<apiVersion>` (type case-insensitive, like ARM). */
export class TypeLibrary {
  private readonly files = new Map<string, string>();
  private readonly loaded = new Map<string, ResourceTypeFile>();

  constructor(readonly dir: string) {
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as Record<string, string>;
    for (const [key, file] of Object.entries(index)) this.files.set(key.toLowerCase(), file);
  }

  get(type: string, apiVersion: string): ResourceTypeFile | undefined {
    const key = `${type}@${apiVersion}`.toLowerCase();
    const cached = this.loaded.get(key);
    if (cached) return cached;
    const file = this.files.get(key);
    if (!file) return undefined;
    const nodes = JSON.parse(fs.readFileSync(path.join(this.dir, file), 'utf8')) as TypeNode[];
    const typeFile = new ResourceTypeFile(`${type}@${apiVersion}`, nodes);
    this.loaded.set(key, typeFile);
    return typeFile;
  }
}

/** The definitions vendored in the repository (refreshed by scripts/refresh-bicep-types.ts). */
export function defaultTypesDir(repoRoot: string): string {
  return path.resolve(repoRoot, 'infra/bicep-types');
}
