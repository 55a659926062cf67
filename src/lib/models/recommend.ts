import { diversify, DEFAULT_DIVERSIFY_RULE, type DiversifyRule } from './diversify';
import type { ExactScorer } from './exact-scorer';
import { exactTopK, type RankedItem } from './top-k';

export interface RecommendOptions {
  count: number;
  /** Item indices never to return (places the user already visited). */
  exclude?: ReadonlySet<number>;
  /** Category of an item index, for the diversification rule; without it no rule applies. */
  categoryOf?: (item: number) => string | undefined;
  diversity?: DiversifyRule;
}

/**
 * Exact top-k for one user vector, then exclusions and the category rule. The rule needs a few
 * more than `count` candidates; it asks for 4x and doubles until the rule is satisfied or every
 * item was ranked, so the result is the same as diversifying the full exact ranking.
 */
export function recommendForVector(
  scorer: ExactScorer,
  user: ArrayLike<number>,
  options: RecommendOptions,
): RankedItem[] {
  const { count, exclude = new Set<number>(), categoryOf } = options;
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError('count: must be a whole number of at least 1');
  if (!categoryOf) return exactTopK(scorer, user, count, exclude);
  const available = scorer.items - exclude.size;
  for (let fetch = Math.min(available, count * 4); ; fetch = Math.min(available, fetch * 2)) {
    const ranked = exactTopK(scorer, user, fetch, exclude);
    const { items, complete } = diversify(
      ranked,
      count,
      categoryOf,
      options.diversity ?? DEFAULT_DIVERSIFY_RULE,
    );
    if (complete || fetch >= available) return items;
  }
}
