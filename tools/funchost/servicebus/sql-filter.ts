/**
 * Service Bus SQL filter expressions (the SQL-92 subset a subscription rule's SqlFilter takes):
 * comparison (=, <>, !=, <, <=, >, >=), AND, OR, NOT, parentheses, [NOT] LIKE with % and _ (and ESCAPE),
 * IS [NOT] NULL, [NOT] IN (...), EXISTS(prop), string/number/TRUE/FALSE/NULL literals.
 * Logic is three-valued as in SQL: a missing property is NULL and a comparison with NULL is unknown,
 * which never matches, so `NOT (EventType = 'X')` skips messages without EventType, as Service Bus does.
 */

/** The property lookup a filter runs against: `sys.<name>` for system properties, otherwise user ones. */
export interface FilterSubject {
  system(name: string): unknown;
  user(name: string): unknown;
}

export type SqlFilter = (subject: FilterSubject) => boolean;

type Tri = boolean | null;
type Value = (s: FilterSubject) => unknown;
type Pred = (s: FilterSubject) => Tri;

const TOKEN =
  /\s*(?:('(?:[^']|'')*')|(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(<>|!=|<=|>=|=|<|>|\(|\)|,)|(\[[^\]]+\]|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?))/y;

interface Token {
  kind: 'string' | 'number' | 'op' | 'word';
  text: string;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m) throw new Error(`SQL filter "${source}": cannot read from position ${at}`);
    if (m[1] !== undefined) tokens.push({ kind: 'string', text: m[1].slice(1, -1).replace(/''/g, "'") });
    else if (m[2] !== undefined) tokens.push({ kind: 'number', text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'op', text: m[3] });
    else tokens.push({ kind: 'word', text: m[4] ?? '' });
  }
  return tokens;
}

const not = (v: Tri): Tri => (v === null ? null : !v);

function compare(op: string, a: unknown, b: unknown): Tri {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (typeof a !== typeof b) return null;
  const x = a as number | string | boolean;
  const y = b as number | string | boolean;
  switch (op) {
    case '=':
      return x === y;
    case '<>':
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

function likeToRegExp(pattern: string, escape: string | undefined): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (escape !== undefined && c === escape && i + 1 < pattern.length) {
      out += (pattern[++i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') out += '[\\s\\S]*';
    else if (c === '_') out += '[\\s\\S]';
    else out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

class Parser {
  #pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): Pred {
    const expr = this.or();
    if (this.#pos < this.tokens.length) this.fail(`unexpected "${this.tokens[this.#pos]?.text}"`);
    return expr;
  }

  private fail(why: string): never {
    throw new Error(`SQL filter "${this.source}": ${why}`);
  }

  private peekWord(word: string, ahead = 0): boolean {
    const t = this.tokens[this.#pos + ahead];
    return t?.kind === 'word' && t.text.toUpperCase() === word;
  }

  private acceptWord(word: string): boolean {
    if (!this.peekWord(word)) return false;
    this.#pos++;
    return true;
  }

  private acceptOp(op: string): boolean {
    const t = this.tokens[this.#pos];
    if (t?.kind !== 'op' || t.text !== op) return false;
    this.#pos++;
    return true;
  }

  private expectOp(op: string): void {
    if (!this.acceptOp(op)) this.fail(`expected "${op}"`);
  }

  private or(): Pred {
    let left = this.and();
    while (this.acceptWord('OR')) {
      const [l, r] = [left, this.and()];
      left = (s) => {
        const a = l(s);
        if (a === true) return true;
        const b = r(s);
        return b === true ? true : a === null || b === null ? null : false;
      };
    }
    return left;
  }

  private and(): Pred {
    let left = this.not();
    while (this.acceptWord('AND')) {
      const [l, r] = [left, this.not()];
      left = (s) => {
        const a = l(s);
        if (a === false) return false;
        const b = r(s);
        return b === false ? false : a === null || b === null ? null : true;
      };
    }
    return left;
  }

  private not(): Pred {
    if (this.acceptWord('NOT')) {
      const inner = this.not();
      return (s) => not(inner(s));
    }
    return this.predicate();
  }

  private predicate(): Pred {
    if (this.acceptWord('EXISTS')) {
      this.expectOp('(');
      const value = this.operand();
      this.expectOp(')');
      return (s) => value(s) !== undefined;
    }
    const t = this.tokens[this.#pos];
    if (t?.kind === 'op' && t.text === '(') {
      this.#pos++;
      const inner = this.or();
      this.expectOp(')');
      return inner;
    }
    const left = this.operand();
    const op = this.tokens[this.#pos];
    if (op?.kind === 'op' && ['=', '<>', '!=', '<', '<=', '>', '>='].includes(op.text)) {
      this.#pos++;
      const right = this.operand();
      return (s) => compare(op.text, left(s), right(s));
    }
    if (this.acceptWord('IS')) {
      const negated = this.acceptWord('NOT');
      if (!this.acceptWord('NULL')) this.fail('expected NULL after IS');
      return (s) => (left(s) === undefined || left(s) === null) !== negated;
    }
    const negated = this.acceptWord('NOT');
    if (this.acceptWord('LIKE')) return this.like(left, negated);
    if (this.acceptWord('IN')) return this.in(left, negated);
    if (negated) this.fail('expected LIKE or IN after NOT');
    return (s) => {
      const v = left(s);
      return typeof v === 'boolean' ? v : null;
    };
  }

  private like(left: Value, negated: boolean): Pred {
    const pattern = this.tokens[this.#pos++];
    if (pattern?.kind !== 'string') this.fail('LIKE takes a string pattern');
    let escape: string | undefined;
    if (this.acceptWord('ESCAPE')) escape = this.tokens[this.#pos++]?.text;
    const re = likeToRegExp(pattern.text, escape);
    return (s) => {
      const v = left(s);
      return typeof v === 'string' ? re.test(v) !== negated : null;
    };
  }

  private in(left: Value, negated: boolean): Pred {
    this.expectOp('(');
    const items: Value[] = [this.operand()];
    while (this.acceptOp(',')) items.push(this.operand());
    this.expectOp(')');
    return (s) => {
      const v = left(s);
      if (v === undefined || v === null) return null;
      return items.some((item) => compare('=', v, item(s)) === true) !== negated;
    };
  }

  private operand(): Value {
    const t = this.tokens[this.#pos++];
    if (!t) this.fail('unexpected end of expression');
    if (t.kind === 'string') return () => t.text;
    if (t.kind === 'number') return () => Number(t.text);
    if (t.kind !== 'word') this.fail(`unexpected "${t.text}"`);
    const upper = t.text.toUpperCase();
    if (upper === 'TRUE') return () => true;
    if (upper === 'FALSE') return () => false;
    if (upper === 'NULL') return () => null;
    const name = t.text.startsWith('[') ? t.text.slice(1, -1) : t.text;
    const dot = name.indexOf('.');
    const scope = dot > 0 ? name.slice(0, dot).toLowerCase() : '';
    if (scope === 'sys') return (s) => s.system(name.slice(dot + 1));
    if (scope === 'user') return (s) => s.user(name.slice(dot + 1));
    return (s) => s.user(name);
  }
}

export function compileSqlFilter(source: string): SqlFilter {
  const predicate = new Parser(tokenize(source), source).parse();
  return (subject) => predicate(subject) === true;
}
