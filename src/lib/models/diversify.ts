import type { RankedItem } from './top-k';

/**
 * The category-diversification rule, applied after exact scoring: walk the exact ranking from the
 * top and take an item unless its category already has `maxPerCategory` items in the list. If the
 * ranking runs out before `count` items are taken (few categories), the best skipped items fill the
 * remaining places in score order, so diversity never makes a list shorter than it could be.
 * Items without a category count as their own category each. The final list keeps score order.
 */
export interface DiversifyRule {
  maxPerCategory: number;
}

export const DEFAULT_DIVERSIFY_RULE: DiversifyRule = { maxPerCategory: 3 };

export function diversify(
  ranked: RankedItem[],
  count: number,
  categoryOf: (item: number) => string | undefined,
  rule: DiversifyRule = DEFAULT_DIVERSIFY_RULE,
): { items: RankedItem[]; complete: boolean } {
  if (!Number.isInteger(rule.maxPerCategory) || rule.maxPerCategory < 1) {
    throw new RangeError('maxPerCategory: must be a whole number of at least 1');
  }
  const taken: RankedItem[] = [];
  const skipped: RankedItem[] = [];
  const perCategory = new Map<string, number>();
  for (const entry of ranked) {
    if (taken.length === count) break;
    const category = categoryOf(entry.item);
    const used = category === undefined ? 0 : (perCategory.get(category) ?? 0);
    if (used >= rule.maxPerCategory) {
      skipped.push(entry);
      continue;
    }
    if (category !== undefined) perCategory.set(category, used + 1);
    taken.push(entry);
  }
  // `complete`: the walk reached `count` under the rule, or saw the whole ranking.
  const complete = taken.length === count;
  if (!complete) {
    taken.push(...skipped.slice(0, count - taken.length));
    taken.sort((a, b) => b.score - a.score || a.item - b.item);
  }
  return { items: taken, complete };
}
