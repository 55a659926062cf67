import fs from 'node:fs';
import path from 'node:path';
import { UNKNOWN, isLambda, isObjectValue, type Lambda, type ObjectValue, type Value } from './values';

type Builtin = (args: Value[], file: string) => Value;

/** Bicep's string(): strings as they are, everything else as compact JSON. */
export function bicepString(v: Value): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function deepUnion(a: ObjectValue, b: ObjectValue): ObjectValue {
  const out: ObjectValue = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = prev !== undefined && isObjectValue(prev) && isObjectValue(v) ? deepUnion(prev, v) : v;
  }
  return out;
}

function lambda(v: Value | undefined): Lambda | undefined {
  return v !== undefined && isLambda(v) ? v : undefined;
}

function readRelative(file: string, relative: Value): string | typeof UNKNOWN {
  if (typeof relative !== 'string') return UNKNOWN;
  return fs.readFileSync(path.resolve(path.dirname(file), relative), 'utf8');
}

/** Array results of a lambda-driven function, or UNKNOWN as soon as one lambda result is unknown. */
function mapAll(items: Value[], fn: (item: Value, index: number) => Value): Value[] | typeof UNKNOWN {
  const out: Value[] = [];
  for (const [i, item] of items.entries()) {
    const r = fn(item, i);
    if (r === UNKNOWN) return UNKNOWN;
    out.push(r);
  }
  return out;
}

// Functions the checks can evaluate without Azure. Any other function yields UNKNOWN.
const BUILTINS: Record<string, Builtin> = {
  loadJsonContent: ([p], file) => {
    const text = readRelative(file, p ?? null);
    return text === UNKNOWN ? UNKNOWN : (JSON.parse(text) as Value);
  },
  loadTextContent: ([p], file) => readRelative(file, p ?? null),
  string: ([v]) => bicepString(v ?? null),
  int: ([v]) => (typeof v === 'number' ? v : typeof v === 'string' ? Number.parseInt(v, 10) : UNKNOWN),
  bool: ([v]) => (typeof v === 'boolean' ? v : typeof v === 'string' ? v.toLowerCase() === 'true' : UNKNOWN),
  toLower: ([v]) => (typeof v === 'string' ? v.toLowerCase() : UNKNOWN),
  toUpper: ([v]) => (typeof v === 'string' ? v.toUpperCase() : UNKNOWN),
  length: ([v]) =>
    typeof v === 'string' || Array.isArray(v)
      ? v.length
      : isObjectValue(v ?? null)
        ? Object.keys(v as object).length
        : UNKNOWN,
  empty: ([v]) =>
    v === null
      ? true
      : typeof v === 'string' || Array.isArray(v)
        ? v.length === 0
        : isObjectValue(v ?? null)
          ? Object.keys(v as object).length === 0
          : UNKNOWN,
  contains: ([c, x]) => {
    if (typeof c === 'string' && typeof x === 'string') return c.includes(x);
    if (Array.isArray(c)) return c.some((e) => JSON.stringify(e) === JSON.stringify(x));
    if (isObjectValue(c ?? null) && typeof x === 'string') return x in (c as ObjectValue);
    return UNKNOWN;
  },
  concat: (args) =>
    args.every(Array.isArray)
      ? (args as Value[][]).flat(1)
      : args.every((a) => typeof a === 'string' || typeof a === 'number')
        ? args.join('')
        : UNKNOWN,
  union: (args) =>
    args.every(isObjectValue)
      ? (args as ObjectValue[]).reduce(deepUnion, {})
      : args.every(Array.isArray)
        ? [...new Set((args as Value[][]).flat(1).map((v) => JSON.stringify(v)))].map(
            (s) => JSON.parse(s) as Value,
          )
        : UNKNOWN,
  first: ([v]) => (Array.isArray(v) ? (v[0] ?? null) : typeof v === 'string' ? (v[0] ?? '') : UNKNOWN),
  last: ([v]) => (Array.isArray(v) ? (v.at(-1) ?? null) : UNKNOWN),
  flatten: ([v]) => (Array.isArray(v) && v.every(Array.isArray) ? (v as Value[][]).flat(1) : UNKNOWN),
  // ARM's items() lists keys in case-insensitive alphabetical order.
  items: ([v]) =>
    isObjectValue(v ?? null)
      ? Object.keys(v as ObjectValue)
          .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))
          .map((key) => ({ key, value: (v as ObjectValue)[key] as Value }))
      : UNKNOWN,
  objectKeys: ([v]) => (isObjectValue(v ?? null) ? Object.keys(v as ObjectValue) : UNKNOWN),
  map: ([arr, fn]) => {
    const f = lambda(fn);
    return Array.isArray(arr) && f ? arr.map((item, i) => f.call([item, i])) : UNKNOWN;
  },
  filter: ([arr, fn]) => {
    const f = lambda(fn);
    if (!Array.isArray(arr) || !f) return UNKNOWN;
    const keep = mapAll(arr, (item, i) => f.call([item, i]));
    if (keep === UNKNOWN || !keep.every((k) => typeof k === 'boolean')) return UNKNOWN;
    return arr.filter((_, i) => keep[i] === true);
  },
  toObject: ([arr, keyFn, valueFn]) => {
    const k = lambda(keyFn);
    const v = lambda(valueFn);
    if (!Array.isArray(arr) || !k) return UNKNOWN;
    const out: ObjectValue = {};
    for (const item of arr) {
      const key = k.call([item]);
      if (typeof key !== 'string') return UNKNOWN;
      out[key] = v ? v.call([item]) : item;
    }
    return out;
  },
  min: (args) => {
    const nums = (Array.isArray(args[0]) ? args[0] : args) as Value[];
    return nums.every((n) => typeof n === 'number') ? Math.min(...(nums as number[])) : UNKNOWN;
  },
  max: (args) => {
    const nums = (Array.isArray(args[0]) ? args[0] : args) as Value[];
    return nums.every((n) => typeof n === 'number') ? Math.max(...(nums as number[])) : UNKNOWN;
  },
  startsWith: ([s, p]) =>
    typeof s === 'string' && typeof p === 'string' ? s.toLowerCase().startsWith(p.toLowerCase()) : UNKNOWN,
  endsWith: ([s, p]) =>
    typeof s === 'string' && typeof p === 'string' ? s.toLowerCase().endsWith(p.toLowerCase()) : UNKNOWN,
  replace: ([s, a, b]) =>
    typeof s === 'string' && typeof a === 'string' && typeof b === 'string' ? s.split(a).join(b) : UNKNOWN,
  split: ([s, d]) => (typeof s === 'string' && typeof d === 'string' ? s.split(d) : UNKNOWN),
  join: ([arr, d]) =>
    Array.isArray(arr) && typeof d === 'string' && arr.every((e) => typeof e === 'string')
      ? arr.join(d)
      : UNKNOWN,
  coalesce: (args) => args.find((a) => a !== null) ?? null,
  // The public Azure cloud, where this service deploys (koreacentral/koreasouth); only the suffixes
  // the templates use. A sovereign cloud would differ, which no check here needs to model.
  environment: () => ({
    name: 'AzureCloud',
    suffixes: { storage: 'core.windows.net', keyvaultDns: '.vault.azure.net' },
  }),
};

/** Evaluates a built-in function, or UNKNOWN when it is not modelled or an argument is unknown. */
export function callBuiltin(name: string, args: Value[], file: string): Value {
  const fn = BUILTINS[name];
  if (!fn || args.some((a) => a === UNKNOWN)) return UNKNOWN;
  return fn(args, file);
}
