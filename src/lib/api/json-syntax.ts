/**
 * Where a JSON text first breaks the grammar (RFC 8259), as offset, line and column, with what was
 * expected there. JSON.parse says this in some cases and not in others ("Unexpected token '}'" has no
 * position in Node 20), so a request that sent broken JSON would not learn where; this walks the text
 * once, only after JSON.parse has refused it.
 */
export interface JsonSyntaxError {
  /** 0-based offset in characters. */
  offset: number;
  /** 1-based line and column. */
  line: number;
  column: number;
  message: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {
    super(expected);
  }
}

export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const fail = (expected: string): never => {
    throw new Stop(i, expected);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail(`"${word}"`);
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('a closing quote "');
      const ch = text[i]!;
      if (ch === '"') return void i++;
      if (ch < ' ') fail('no control character inside a string (escape it, e.g. \\n)');
      if (ch === '\\') {
        i++;
        const esc = text[i];
        if (esc === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              fail('4 hex digits after \\u');
            }
          }
          i += 5;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i++;
        else fail('an escape such as \\" \\\\ \\n or \\u00e9');
      } else i++;
    }
  };
  const digits = () => {
    const start = i;
    while (/[0-9]/.test(text[i] ?? '')) i++;
    if (i === start) fail('a digit');
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || /[0-9]/.test(ch ?? '')) return number();
    fail('a value (object, array, string, number, true, false or null)');
  };
  const object = () => {
    i++;
    space();
    if (text[i] === '}') return void i++;
    for (;;) {
      space();
      if (text[i] !== '"') fail('a property name in double quotes');
      string();
      space();
      if (text[i] !== ':') fail("':' after the property name");
      i++;
      value();
      space();
      if (text[i] === ',') i++;
      else if (text[i] === '}') return void i++;
      else fail("',' or '}' after the property value");
    }
  };
  const array = () => {
    i++;
    space();
    if (text[i] === ']') return void i++;
    for (;;) {
      value();
      space();
      if (text[i] === ',') i++;
      else if (text[i] === ']') return void i++;
      else fail("',' or ']' after the element");
    }
  };
  try {
    value();
    space();
    if (i < text.length) fail('the end of the text after the JSON value');
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return located(text, error.offset, error.expected);
  }
}

function located(text: string, offset: number, expected: string): JsonSyntaxError {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const found = offset >= text.length ? 'the end of the text' : JSON.stringify(text[offset]);
  return {
    offset,
    line,
    column,
    message: `expected ${expected} at line ${line}, column ${column} (offset ${offset}), found ${found}`,
  };
}
