/**
 * Orders a day's stops to minimise distance: exact (Held-Karp dynamic programming) up to EXACT_LIMIT
 * stops, 2-opt + or-opt local search beyond. `startCost(i)` / `endCost(i)` are the legs from and back
 * to the lodging (0 for an open path without one); `pair(i, j)` the leg between two stops.
 */
export interface RouteCosts {
  n: number;
  pair(i: number, j: number): number;
  startCost(i: number): number;
  endCost(i: number): number;
}

export const EXACT_LIMIT = 10;

export function routeCost(order: number[], costs: RouteCosts): number {
  if (order.length === 0) return 0;
  let total = costs.startCost(order[0]!) + costs.endCost(order[order.length - 1]!);
  for (let k = 1; k < order.length; k++) total += costs.pair(order[k - 1]!, order[k]!);
  return total;
}

export function bestOrder(costs: RouteCosts, options: { exact?: boolean } = {}): number[] {
  const identity = Array.from({ length: costs.n }, (_, i) => i);
  if (costs.n <= 2)
    return costs.n === 2 && routeCost([1, 0], costs) < routeCost(identity, costs) ? [1, 0] : identity;
  if ((options.exact ?? true) && costs.n <= EXACT_LIMIT) return heldKarp(costs);
  return localSearch(nearestNeighbour(costs), costs);
}

function heldKarp(costs: RouteCosts): number[] {
  const { n } = costs;
  const full = (1 << n) - 1;
  const best = new Float64Array((1 << n) * n).fill(Infinity);
  const parent = new Int8Array((1 << n) * n).fill(-1);
  for (let i = 0; i < n; i++) best[(1 << i) * n + i] = costs.startCost(i);
  for (let set = 1; set <= full; set++) {
    for (let last = 0; last < n; last++) {
      const here = best[set * n + last]!;
      if (!(set & (1 << last)) || here === Infinity) continue;
      for (let next = 0; next < n; next++) {
        if (set & (1 << next)) continue;
        const target = (set | (1 << next)) * n + next;
        const cost = here + costs.pair(last, next);
        if (cost < best[target]!) {
          best[target] = cost;
          parent[target] = last;
        }
      }
    }
  }
  let end = 0;
  for (let i = 1; i < n; i++) {
    if (best[full * n + i]! + costs.endCost(i) < best[full * n + end]! + costs.endCost(end)) end = i;
  }
  const order: number[] = [];
  for (let set = full, node = end; node >= 0;) {
    order.push(node);
    const previous = parent[set * n + node]!;
    set &= ~(1 << node);
    node = previous;
  }
  return order.reverse();
}

export function nearestNeighbour(costs: RouteCosts): number[] {
  const left = new Set(Array.from({ length: costs.n }, (_, i) => i));
  let current = [...left].sort((a, b) => costs.startCost(a) - costs.startCost(b) || a - b)[0]!;
  const order = [current];
  left.delete(current);
  while (left.size > 0) {
    current = [...left].sort((a, b) => costs.pair(current, a) - costs.pair(current, b) || a - b)[0]!;
    order.push(current);
    left.delete(current);
  }
  return order;
}

/** 2-opt (reverse a segment) and or-opt (move a run of 1-3 stops) until neither improves. */
export function localSearch(
  start: number[],
  costs: RouteCosts,
  accept: (order: number[]) => boolean = () => true,
): number[] {
  let order = [...start];
  let cost = routeCost(order, costs);
  for (let improved = true; improved;) {
    improved = false;
    for (const candidate of neighbours(order)) {
      const candidateCost = routeCost(candidate, costs);
      if (candidateCost < cost - 1e-9 && accept(candidate)) {
        order = candidate;
        cost = candidateCost;
        improved = true;
        break;
      }
    }
  }
  return order;
}

function* neighbours(order: number[]): Generator<number[]> {
  const n = order.length;
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++)
      yield [...order.slice(0, i), ...order.slice(i, j + 1).reverse(), ...order.slice(j + 1)];
  }
  for (let length = 1; length <= 3; length++) {
    for (let i = 0; i + length <= n; i++) {
      const run = order.slice(i, i + length);
      const rest = [...order.slice(0, i), ...order.slice(i + length)];
      for (let at = 0; at <= rest.length; at++) {
        if (at === i) continue;
        yield [...rest.slice(0, at), ...run, ...rest.slice(at)];
      }
    }
  }
}
