import { UNKNOWN, type Value } from './values';

function deepEqual(a: Value, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Applies a binary operator; the right operand is evaluated only when Bicep would evaluate it. */
export function applyBinary(op: string, left: Value, evaluateRight: () => Value): Value {
  // Short-circuit like Bicep: the right side may be unknown and not matter.
  if (op === '&&' && left === false) return false;
  if (op === '||' && left === true) return true;
  if (op === '??' && left !== null && left !== UNKNOWN) return left;
  const right = evaluateRight();
  if (op === '??') return left === UNKNOWN ? UNKNOWN : right;
  if (left === UNKNOWN || right === UNKNOWN) return UNKNOWN;
  const num = typeof left === 'number' && typeof right === 'number';
  switch (op) {
    case '&&':
    case '||':
      return typeof left === 'boolean' && typeof right === 'boolean'
        ? op === '&&'
          ? left && right
          : left || right
        : UNKNOWN;
    case '==':
      return deepEqual(left, right);
    case '!=':
      return !deepEqual(left, right);
    case '=~':
    case '!~': {
      if (typeof left !== 'string' || typeof right !== 'string') return UNKNOWN;
      const same = left.toLowerCase() === right.toLowerCase();
      return op === '=~' ? same : !same;
    }
    case '<':
      return num ? left < right : UNKNOWN;
    case '<=':
      return num ? left <= right : UNKNOWN;
    case '>':
      return num ? left > right : UNKNOWN;
    case '>=':
      return num ? left >= right : UNKNOWN;
    case '+':
      return num ? left + right : UNKNOWN;
    case '-':
      return num ? left - right : UNKNOWN;
    case '*':
      return num ? left * right : UNKNOWN;
    case '/':
      return num && right !== 0 ? Math.trunc(left / right) : UNKNOWN;
    case '%':
      return num && right !== 0 ? left % right : UNKNOWN;
    default:
      return UNKNOWN;
  }
}
