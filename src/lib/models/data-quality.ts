import { interactionSchema, type Interaction } from '../contracts/interaction';
import { formatPath } from '../contracts/field-issues';

/**
 * The data-quality gate before training: row counts, schema violations, duplicate share, users and
 * places with too little data, interactions on places missing from the catalogue, and drift of the
 * category mix against a reference (the production version's dataset), each against a threshold
 * (settings). The report says pass or fail with one reason per threshold crossed.
 */
export interface DataQualitySettings {
  minRows: number;
  maxSchemaViolationShare: number;
  maxDuplicateShare: number;
  /** A user (place) with fewer valid rows than this has "too little data". */
  minRowsPerUser: number;
  minRowsPerPlace: number;
  maxSparseUserShare: number;
  maxSparsePlaceShare: number;
  maxMissingFromCatalogShare: number;
  /** Total variation distance (0-1) between category mixes. */
  maxCategoryDrift: number;
}

export const DEFAULT_DATA_QUALITY_SETTINGS: DataQualitySettings = {
  minRows: 1000,
  maxSchemaViolationShare: 0.01,
  maxDuplicateShare: 0.05,
  minRowsPerUser: 3,
  minRowsPerPlace: 3,
  maxSparseUserShare: 0.5,
  maxSparsePlaceShare: 0.5,
  maxMissingFromCatalogShare: 0.02,
  maxCategoryDrift: 0.2,
};

export interface DataQualityReport {
  rows: number;
  validRows: number;
  schemaViolations: { count: number; share: number; examples: Array<{ index: number; issues: string[] }> };
  duplicates: { count: number; share: number };
  users: number;
  places: number;
  sparseUsers: { count: number; share: number };
  sparsePlaces: { count: number; share: number };
  missingFromCatalog: { count: number; share: number } | null;
  categoryMix: Record<string, number>;
  categoryDrift: number | null;
  passed: boolean;
  reasons: string[];
}

export interface DataQualityInputs {
  rows: readonly unknown[];
  /** Catalogue place ids -> category; without it the catalogue check is skipped. */
  catalog?: ReadonlyMap<string, string | undefined>;
  /** Category shares of the reference dataset; without it the drift check is skipped. */
  referenceCategoryMix?: Record<string, number>;
  settings?: DataQualitySettings;
}

export function dataQualityReport(inputs: DataQualityInputs): DataQualityReport {
  const settings = inputs.settings ?? DEFAULT_DATA_QUALITY_SETTINGS;
  const valid: Interaction[] = [];
  const examples: Array<{ index: number; issues: string[] }> = [];
  let violations = 0;
  inputs.rows.forEach((row, index) => {
    const parsed = interactionSchema.safeParse(row);
    if (parsed.success) return void valid.push(parsed.data);
    violations++;
    if (examples.length < 10)
      examples.push({
        index,
        issues: parsed.error.issues.map((i) => `${formatPath(i.path) || '(row)'}: ${i.message}`),
      });
  });
  const seen = new Set<string>();
  let duplicates = 0;
  const perUser = new Map<string, number>();
  const perPlace = new Map<string, number>();
  const categoryCounts = new Map<string, number>();
  let missing = 0;
  for (const row of valid) {
    const key = JSON.stringify([row.userId, row.placeId, row.action, row.at, row.rating ?? null]);
    if (seen.has(key)) duplicates++;
    else seen.add(key);
    perUser.set(row.userId, (perUser.get(row.userId) ?? 0) + 1);
    perPlace.set(row.placeId, (perPlace.get(row.placeId) ?? 0) + 1);
    const inCatalog = inputs.catalog?.has(row.placeId);
    if (inputs.catalog && !inCatalog) missing++;
    const category = row.category ?? inputs.catalog?.get(row.placeId) ?? '(none)';
    categoryCounts.set(category, (categoryCounts.get(category) ?? 0) + 1);
  }
  const rows = inputs.rows.length;
  const share = (count: number, of: number) => (of > 0 ? count / of : 0);
  const sparseUsers = [...perUser.values()].filter((n) => n < settings.minRowsPerUser).length;
  const sparsePlaces = [...perPlace.values()].filter((n) => n < settings.minRowsPerPlace).length;
  const categoryMix = Object.fromEntries(
    [...categoryCounts].sort().map(([c, n]) => [c, n / Math.max(1, valid.length)]),
  );
  const drift = inputs.referenceCategoryMix ? totalVariation(categoryMix, inputs.referenceCategoryMix) : null;

  const report: DataQualityReport = {
    rows,
    validRows: valid.length,
    schemaViolations: { count: violations, share: share(violations, rows), examples },
    duplicates: { count: duplicates, share: share(duplicates, valid.length) },
    users: perUser.size,
    places: perPlace.size,
    sparseUsers: { count: sparseUsers, share: share(sparseUsers, perUser.size) },
    sparsePlaces: { count: sparsePlaces, share: share(sparsePlaces, perPlace.size) },
    missingFromCatalog: inputs.catalog ? { count: missing, share: share(missing, valid.length) } : null,
    categoryMix,
    categoryDrift: drift,
    passed: true,
    reasons: [],
  };
  const check = (failed: boolean, reason: string) => failed && report.reasons.push(reason);
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  check(rows < settings.minRows, `rows: ${rows} is below the minimum ${settings.minRows}`);
  check(
    report.schemaViolations.share > settings.maxSchemaViolationShare,
    `schemaViolations: ${pct(report.schemaViolations.share)} of rows, above ${pct(settings.maxSchemaViolationShare)}`,
  );
  check(
    report.duplicates.share > settings.maxDuplicateShare,
    `duplicates: ${pct(report.duplicates.share)} of valid rows, above ${pct(settings.maxDuplicateShare)}`,
  );
  check(
    report.sparseUsers.share > settings.maxSparseUserShare,
    `sparseUsers: ${pct(report.sparseUsers.share)} of users have fewer than ${settings.minRowsPerUser} rows, above ${pct(settings.maxSparseUserShare)}`,
  );
  check(
    report.sparsePlaces.share > settings.maxSparsePlaceShare,
    `sparsePlaces: ${pct(report.sparsePlaces.share)} of places have fewer than ${settings.minRowsPerPlace} rows, above ${pct(settings.maxSparsePlaceShare)}`,
  );
  check(
    report.missingFromCatalog !== null &&
      report.missingFromCatalog.share > settings.maxMissingFromCatalogShare,
    `missingFromCatalog: ${pct(report.missingFromCatalog?.share ?? 0)} of rows are on places not in the catalogue, above ${pct(settings.maxMissingFromCatalogShare)}`,
  );
  check(
    drift !== null && drift > settings.maxCategoryDrift,
    `categoryDrift: ${(drift ?? 0).toFixed(3)} from the reference mix, above ${settings.maxCategoryDrift}`,
  );
  report.passed = report.reasons.length === 0;
  return report;
}

/** Half the L1 distance between two share distributions (each normalised to sum 1 first). */
export function totalVariation(a: Record<string, number>, b: Record<string, number>): number {
  const sum = (d: Record<string, number>) => Object.values(d).reduce((s, v) => s + v, 0) || 1;
  const sa = sum(a);
  const sb = sum(b);
  let distance = 0;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
    distance += Math.abs((a[key] ?? 0) / sa - (b[key] ?? 0) / sb);
  return distance / 2;
}
