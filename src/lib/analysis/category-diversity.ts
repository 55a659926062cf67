export interface CategoryDiversity {
  stops: number;
  distinctCategories: number;
  /** distinct / stops: 1 when every stop is of another kind (0 for no stops). */
  distinctShare: number;
  /** Shannon entropy of the category mix, in nats. */
  shannon: number;
  /** shannon / ln(distinct): 1 when the categories are equally used (0 with one category or none). */
  evenness: number;
  /** category -> stops, most first. */
  counts: Record<string, number>;
}

/**
 * How varied a trip is. Two measures, because each misses what the other sees: the share of distinct
 * categories ignores balance (9 palaces and 1 market look as varied as 5 and 5), Shannon evenness
 * ignores how many stops there are.
 */
export function categoryDiversity(categories: string[]): CategoryDiversity {
  const counts = new Map<string, number>();
  for (const category of categories) counts.set(category, (counts.get(category) ?? 0) + 1);
  const n = categories.length;
  // Math.max: one category sums to -0, which JSON and equality checks would carry as a sign.
  const shannon = Math.max(0, -[...counts.values()].reduce((s, c) => s + (c / n) * Math.log(c / n), 0));
  const k = counts.size;
  return {
    stops: n,
    distinctCategories: k,
    distinctShare: n === 0 ? 0 : round4(k / n),
    shannon: round4(shannon),
    evenness: k <= 1 ? 0 : round4(shannon / Math.log(k)),
    counts: Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
  };
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
