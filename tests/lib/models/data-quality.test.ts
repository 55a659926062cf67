import {
  dataQualityReport,
  DEFAULT_DATA_QUALITY_SETTINGS,
  totalVariation,
} from '../../../src/lib/models/data-quality';

const settings = { ...DEFAULT_DATA_QUALITY_SETTINGS, minRows: 10, minRowsPerUser: 2, minRowsPerPlace: 2 };

function rows(count: number, category = (n: number) => (n % 2 ? 'museum' : 'food')) {
  return Array.from({ length: count }, (_, n) => ({
    userId: `u${n % 5}`,
    placeId: `p${n % 4}`,
    action: 'view',
    at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    destination: 'seoul',
    category: category(n),
  }));
}
const catalog = new Map([0, 1, 2, 3].map((n) => [`p${n}`, n % 2 ? 'museum' : 'food']));

describe('data-quality report', () => {
  it('passes clean data with the figures filled in', () => {
    const report = dataQualityReport({
      rows: rows(40),
      catalog,
      referenceCategoryMix: { food: 1, museum: 1 },
      settings,
    });
    expect(report).toMatchObject({ rows: 40, validRows: 40, users: 5, places: 4, passed: true, reasons: [] });
    expect(report.categoryMix).toEqual({ food: 0.5, museum: 0.5 });
    expect(report.categoryDrift).toBeCloseTo(0, 12);
  });

  it('fails with one reason per threshold crossed', () => {
    const data: unknown[] = rows(40, () => 'food');
    data.push(
      data[0],
      data[1],
      data[2],
      { userId: 'u1', action: 'fly' },
      { ...(data[3] as object), placeId: 'nowhere' },
    );
    const report = dataQualityReport({
      rows: data,
      catalog,
      referenceCategoryMix: { food: 0.5, museum: 0.5 },
      settings: { ...settings, maxDuplicateShare: 0.05 },
    });
    expect(report.passed).toBe(false);
    expect(report.schemaViolations).toMatchObject({ count: 1 });
    expect(report.schemaViolations.examples[0]!.issues.join('; ')).toMatch(
      /placeId: .*action: must be one of/,
    );
    expect(report.duplicates.count).toBe(3);
    expect(report.missingFromCatalog!.count).toBe(1);
    expect(report.reasons.map((r) => r.split(':')[0])).toEqual([
      'schemaViolations',
      'duplicates',
      'missingFromCatalog',
      'categoryDrift',
    ]);
  });

  it('flags too few rows and sparse users and places', () => {
    const report = dataQualityReport({
      rows: rows(5),
      settings: { ...settings, maxSparseUserShare: 0.2, maxSparsePlaceShare: 0.2 },
    });
    expect(report.reasons.map((r) => r.split(':')[0])).toEqual(['rows', 'sparseUsers', 'sparsePlaces']);
    expect(report.missingFromCatalog).toBeNull();
    expect(report.categoryDrift).toBeNull();
  });

  it('measures drift as total variation distance', () => {
    expect(totalVariation({ a: 1 }, { b: 1 })).toBe(1);
    expect(totalVariation({ a: 3, b: 1 }, { a: 1, b: 1 })).toBeCloseTo(0.25, 12);
  });
});
