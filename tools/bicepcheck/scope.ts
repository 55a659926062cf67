import { UNKNOWN, type Value } from './values';

/**
 * Names visible to an expression: loop and lambda variables first, then the file's declarations.
 * A name that resolves to nothing (a namespace such as `az`, a type) is UNKNOWN, never a guess.
 */
export class Scope {
  constructor(
    readonly file: string,
    private readonly resolveDeclaration: (name: string) => Value | undefined,
    private readonly locals: ReadonlyMap<string, Value> = new Map(),
  ) {}

  with(bindings: Record<string, Value>): Scope {
    const locals = new Map(this.locals);
    for (const [k, v] of Object.entries(bindings)) locals.set(k, v);
    return new Scope(this.file, this.resolveDeclaration, locals);
  }

  lookup(name: string): Value {
    if (this.locals.has(name)) return this.locals.get(name) as Value;
    return this.resolveDeclaration(name) ?? UNKNOWN;
  }
}
