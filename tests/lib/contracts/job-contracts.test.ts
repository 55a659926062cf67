/**
 * The analysis, recommendation and catalog contracts, the shared field rules and the job-body
 * procedure, at their edges (equal, one off, just inside): what the HTTP and queue suites exercise
 * only through the host, checked here where mutation runs see it.
 */
import { MAX_ANALYSIS_WINDOW_DAYS, parseAnalysisRequest } from '../../../src/lib/contracts/analysis-request';
import {
  destinationKey,
  MAX_CATALOG_PLACES,
  parseCatalogBody,
  parseDestination,
} from '../../../src/lib/contracts/catalog';
import {
  entityIdField,
  futureVersionIssue,
  jobIdField,
  schemaVersionField,
} from '../../../src/lib/contracts/common-fields';
import { formatIssues, formatPath } from '../../../src/lib/contracts/field-issues';
import { parseJobBody } from '../../../src/lib/contracts/job-contract';
import {
  DEFAULT_RECOMMENDATION_COUNT,
  MAX_RECOMMENDATION_COUNT,
  parseListQuery,
  parseRecommendationRequest,
} from '../../../src/lib/contracts/recommendation-request';
import {
  isTimeZone,
  LATEST_TIME_ZONE,
  startDateIssues,
  todayIn,
} from '../../../src/lib/contracts/trip-dates';
import { z } from 'zod';

type Parsed = { ok: true } | { ok: false; issues: Array<{ path: string; message: string }> };
const issuesOf = (parsed: Parsed) => (parsed.ok ? [] : parsed.issues);
const pathsOf = (parsed: Parsed) => issuesOf(parsed).map((i) => i.path);

describe('shared field rules', () => {
  it('job ids: 1-128 of A-Za-z0-9_.:- ; entity ids also allow @', () => {
    for (const ok of ['a', 'A-z_0.9:x', 'x'.repeat(128)]) expect(jobIdField.safeParse(ok).success).toBe(true);
    for (const bad of ['', 'x'.repeat(129), 'a b', 'a@b', 'a/b'])
      expect(jobIdField.safeParse(bad).success).toBe(false);
    expect(jobIdField.safeParse('a b').error?.issues[0]?.message).toBe('must be 1-128 of A-Za-z0-9_.:-');
    for (const ok of ['u@example.com', 'x'.repeat(128), 'a-b_c.d:e'])
      expect(entityIdField.safeParse(ok).success).toBe(true);
    for (const bad of ['', 'x'.repeat(129), 'a b', 'a/b', 'a#b'])
      expect(entityIdField.safeParse(bad).success).toBe(false);
    expect(entityIdField.safeParse('a b').error?.issues[0]?.message).toBe(
      'must be 1-128 letters, digits or _ . : @ -',
    );
  });

  it('schemaVersion: defaults to the current version, 1..current, whole numbers only', () => {
    const field = schemaVersionField(3);
    expect(field.parse(undefined)).toBe(3);
    expect(field.parse(1)).toBe(1);
    expect(field.parse(3)).toBe(3);
    expect(field.safeParse(0).error?.issues[0]?.message).toBe('must be at least 1');
    expect(field.safeParse(4).error?.issues[0]?.message).toBe(
      'is newer than this service understands (it speaks version 3)',
    );
    expect(field.safeParse(1.5).error?.issues[0]?.message).toBe(
      'must be a whole number (this service speaks version 3)',
    );
    expect(field.safeParse('1').error?.issues[0]?.message).toBe(
      'must be a whole number (this service speaks version 3)',
    );
  });

  it('a newer version is one issue naming it; the current, older or malformed ones are left to the schema', () => {
    expect(futureVersionIssue({ schemaVersion: 2 }, 1)).toEqual([
      {
        path: 'schemaVersion',
        message: 'version 2 is newer than this service understands (it speaks version 1); send version 1',
      },
    ]);
    for (const input of [
      { schemaVersion: 1 },
      { schemaVersion: 0 },
      { schemaVersion: 2.5 },
      { schemaVersion: '2' },
      {},
      null,
      undefined,
      'schemaVersion',
      7,
    ])
      expect(futureVersionIssue(input, 1)).toEqual([]);
  });

  it('paths read like code: places[3].lat, a root issue has an empty path', () => {
    expect(formatPath(['places', 3, 'lat'])).toBe('places[3].lat');
    expect(formatPath([0, 'a', 'b'])).toBe('[0].a.b');
    expect(formatPath([])).toBe('');
    expect(formatIssues([{ path: '', message: 'bad' }])).toBe('(message): bad');
  });
});

describe('parseJobBody (every job contract)', () => {
  const schema = z.strictObject({ jobId: jobIdField.optional(), n: z.number() });

  it('keeps a given job id, or makes one with the generator', () => {
    expect(parseJobBody(schema, 1, { jobId: 'given', n: 1 }, () => 'made')).toEqual({
      ok: true,
      value: { jobId: 'given', n: 1 },
    });
    expect(parseJobBody(schema, 1, { n: 1 }, () => 'made')).toEqual({
      ok: true,
      value: { n: 1, jobId: 'made' },
    });
  });

  it('without a generator a missing job id is an issue, reported beside the field issues', () => {
    expect(parseJobBody(schema, 1, { n: 1 })).toEqual({
      ok: false,
      issues: [{ path: 'jobId', message: 'is required (no job id generator was given)' }],
    });
    expect(pathsOf(parseJobBody(schema, 1, { n: 'x' }))).toEqual(['n', 'jobId']);
    expect(pathsOf(parseJobBody(schema, 1, { jobId: 'j', n: 'x' }))).toEqual(['n']);
    expect(issuesOf(parseJobBody(schema, 1, { jobId: 'j' }))).toEqual([
      { path: 'n', message: 'is required' },
    ]);
  });

  it('a body that is not an object is a schema issue, not a job id issue', () => {
    expect(pathsOf(parseJobBody(schema, 1, null))).toEqual(['']);
    expect(pathsOf(parseJobBody(schema, 1, 'text'))).toEqual(['']);
  });

  it('a newer version is the only issue, whatever else is wrong', () => {
    expect(issuesOf(parseJobBody(schema, 1, { schemaVersion: 2, n: 'x', extra: 1 }))).toEqual(
      futureVersionIssue({ schemaVersion: 2 }, 1),
    );
  });

  it('a generator that makes an invalid id is a bug, thrown', () => {
    expect(() => parseJobBody(schema, 1, { n: 1 }, () => 'not valid')).toThrow(
      'the job id generator made an invalid id: "not valid"',
    );
  });
});

describe('analysis request contract', () => {
  const base = { userId: 'u@example.com', analysisType: 'preferences' };

  it('a preferences analysis: windowDays optional, 1..730 whole days', () => {
    expect(parseAnalysisRequest(base, () => 'j')).toEqual({
      ok: true,
      value: { schemaVersion: 1, jobId: 'j', ...base },
    });
    for (const windowDays of [1, 180, MAX_ANALYSIS_WINDOW_DAYS])
      expect(parseAnalysisRequest({ ...base, windowDays }, () => 'j').ok).toBe(true);
    expect(MAX_ANALYSIS_WINDOW_DAYS).toBe(730);
    expect(issuesOf(parseAnalysisRequest({ ...base, windowDays: 0 }, () => 'j'))).toEqual([
      { path: 'windowDays', message: 'must be at least 1' },
    ]);
    expect(issuesOf(parseAnalysisRequest({ ...base, windowDays: 731 }, () => 'j'))).toEqual([
      { path: 'windowDays', message: 'must be at most 730' },
    ]);
    expect(issuesOf(parseAnalysisRequest({ ...base, windowDays: 1.5 }, () => 'j'))).toEqual([
      { path: 'windowDays', message: 'must be a whole number' },
    ]);
  });

  it('a trip analysis needs the trip id; other types are refused by name', () => {
    const trip = { userId: 'u1', analysisType: 'trip', tripId: 't-1', jobId: 'j-1' };
    expect(parseAnalysisRequest(trip)).toEqual({ ok: true, value: { schemaVersion: 1, ...trip } });
    expect(issuesOf(parseAnalysisRequest({ ...trip, tripId: undefined }))).toEqual([
      { path: 'tripId', message: 'is required' },
    ]);
    expect(pathsOf(parseAnalysisRequest({ ...trip, windowDays: 5 }))).toEqual(['']);
    expect(issuesOf(parseAnalysisRequest({ ...trip, analysisType: 'mood' }))).toEqual([
      { path: 'analysisType', message: "must be 'preferences' or 'trip'" },
    ]);
    expect(pathsOf(parseAnalysisRequest({ ...trip, userId: 'a b' }))).toEqual(['userId']);
    expect(pathsOf(parseAnalysisRequest({ ...trip, schemaVersion: 2 }))).toEqual(['schemaVersion']);
  });
});

describe('recommendation request contract', () => {
  it('defaults type to places and k to 10; k is 1..50 whole', () => {
    expect(parseRecommendationRequest({ userId: 'u', destination: ' Seoul ' }, () => 'j')).toEqual({
      ok: true,
      value: { schemaVersion: 1, jobId: 'j', userId: 'u', destination: 'Seoul', type: 'places', k: 10 },
    });
    expect(DEFAULT_RECOMMENDATION_COUNT).toBe(10);
    expect(MAX_RECOMMENDATION_COUNT).toBe(50);
    for (const k of [1, 50])
      expect(parseRecommendationRequest({ userId: 'u', destination: 'S', k }, () => 'j').ok).toBe(true);
    const kIssue = (k: unknown) =>
      issuesOf(parseRecommendationRequest({ userId: 'u', destination: 'S', k }, () => 'j'));
    expect(kIssue(0)).toEqual([{ path: 'k', message: 'must be at least 1' }]);
    expect(kIssue(51)).toEqual([{ path: 'k', message: 'must be at most 50' }]);
    expect(kIssue(2.5)).toEqual([{ path: 'k', message: 'must be a whole number' }]);
    expect(kIssue('5')).toEqual([{ path: 'k', message: 'must be a whole number' }]);
  });

  it('destination: 1-200 characters after trimming; type: only the known ones', () => {
    const destIssue = (destination: string) =>
      issuesOf(parseRecommendationRequest({ userId: 'u', destination }, () => 'j'));
    expect(destIssue('x'.repeat(200))).toEqual([]);
    expect(destIssue('   ')).toEqual([{ path: 'destination', message: 'must not be empty' }]);
    expect(destIssue('x'.repeat(201))).toEqual([
      { path: 'destination', message: 'must be at most 200 characters' },
    ]);
    expect(
      issuesOf(parseRecommendationRequest({ userId: 'u', destination: 'S', type: 'hotels' }, () => 'j')),
    ).toEqual([{ path: 'type', message: 'must be one of places' }]);
  });

  it('the list query reads k from text, and names a repeated or missing parameter', () => {
    expect(parseListQuery('u', new URLSearchParams('destination=Seoul&k=7'))).toEqual({
      ok: true,
      value: { userId: 'u', destination: 'Seoul', type: 'places', k: 7 },
    });
    expect(issuesOf(parseListQuery('u', new URLSearchParams('destination=S&k=-1')))).toEqual([
      { path: 'k', message: 'must be at least 1' },
    ]);
    expect(issuesOf(parseListQuery('u', new URLSearchParams('destination=S&k=1.5')))).toEqual([
      { path: 'k', message: 'must be a whole number' },
    ]);
    expect(issuesOf(parseListQuery('u', new URLSearchParams('destination=S&k=2&k=3')))).toEqual([
      { path: 'k', message: 'is given more than once' },
    ]);
    expect(issuesOf(parseListQuery('u', new URLSearchParams('k=2')))).toEqual([
      { path: 'destination', message: 'is required' },
    ]);
    expect(pathsOf(parseListQuery('u', new URLSearchParams('destination=S&jobId=j')))).toEqual(['']);
  });
});

describe('catalog contract', () => {
  const place = (id: string) => ({
    id,
    name: `Place ${id}`,
    lat: 37.5,
    lng: 127,
    category: 'museum',
    visitMinutes: 60,
    priceLevel: 1,
    rating: 4.5,
  });

  it("destinations: 1-100 letters (any script), digits, spaces, _ . ' - starting with a letter or digit", () => {
    for (const ok of ['Seoul', '서울', "St. John's", '1st_town-x', 'x'.repeat(100), '  Busan  '])
      expect(parseDestination(ok).ok).toBe(true);
    expect(parseDestination('  Busan  ')).toEqual({ ok: true, value: 'Busan' });
    for (const bad of ['', ' ', '-lead', 'x'.repeat(101), 'a/b', 'a?b'])
      expect(parseDestination(bad)).toEqual({
        ok: false,
        issue: {
          path: 'destination',
          message: "must be 1-100 letters, digits, spaces or _ . ' - starting with a letter or digit",
        },
      });
    // NFC: a decomposed Hangul syllable is stored as the composed one.
    expect(parseDestination('\u1109\u1165\u110b\u116e\u11af')).toEqual({ ok: true, value: '서울' });
  });

  it('the key is trimmed, NFC and lower case, so Seoul and seoul are one catalog', () => {
    expect(destinationKey(' Seoul ')).toBe('seoul');
    expect(destinationKey('\u1109\u1165\u110b\u116e\u11af')).toBe('서울');
  });

  it('a body lists 1..100000 places with distinct ids; every bad row is named', () => {
    expect(parseCatalogBody({ places: [place('a'), place('b')] })).toEqual({
      ok: true,
      value: { places: [place('a'), place('b')] },
    });
    expect(MAX_CATALOG_PLACES).toBe(100_000);
    expect(issuesOf(parseCatalogBody({ places: [] }))).toEqual([
      { path: 'places', message: 'must list at least one place' },
    ]);
    expect(issuesOf(parseCatalogBody({}))).toEqual([{ path: 'places', message: 'is required' }]);
    expect(
      issuesOf(
        parseCatalogBody({ places: [place('a'), place('b'), place('a'), { ...place('c'), lat: 91 }] }),
      ),
    ).toEqual([
      { path: 'places[3].lat', message: expect.stringContaining('90') },
      { path: 'places[2].id', message: 'duplicates place id "a"' },
    ]);
    expect(issuesOf(parseCatalogBody({ places: [place('a'), place('b'), place('a'), place('b')] }))).toEqual([
      { path: 'places[2].id', message: 'duplicates place id "a"' },
      { path: 'places[3].id', message: 'duplicates place id "b"' },
    ]);
  });

  it('refuses more than 100000 places', () => {
    const many = Array.from({ length: MAX_CATALOG_PLACES + 1 }, (_, i) => place(`p${i}`));
    expect(issuesOf(parseCatalogBody({ places: many }))).toEqual([
      { path: 'places', message: 'must list at most 100000 places' },
    ]);
    expect(parseCatalogBody({ places: many.slice(1) }).ok).toBe(true);
  });
});

describe('start date rule (trip-dates)', () => {
  const now = new Date('2026-06-15T10:00:00Z');

  it('knows IANA zones', () => {
    expect(isTimeZone('Asia/Seoul')).toBe(true);
    expect(isTimeZone(LATEST_TIME_ZONE)).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it("today is the zone's calendar date", () => {
    expect(todayIn('Asia/Seoul', new Date('2026-06-15T16:00:00Z'))).toBe('2026-06-16');
    expect(todayIn('UTC', new Date('2026-06-15T16:00:00Z'))).toBe('2026-06-15');
    expect(todayIn(LATEST_TIME_ZONE, new Date('2026-06-15T11:00:00Z'))).toBe('2026-06-14');
  });

  it('today and later are accepted, yesterday is refused, in the given zone', () => {
    // 10:00 UTC is 19:00 in Seoul: today there is 2026-06-15.
    expect(startDateIssues({ startDate: '2026-06-15', timeZone: 'Asia/Seoul' }, now)).toEqual([]);
    expect(startDateIssues({ startDate: '2026-06-16', timeZone: 'Asia/Seoul' }, now)).toEqual([]);
    expect(startDateIssues({ startDate: '2026-06-14', timeZone: 'Asia/Seoul' }, now)).toEqual([
      { path: 'startDate', message: 'is before today (2026-06-15 in Asia/Seoul)' },
    ]);
  });

  it('without a zone, a date that is still today somewhere (UTC-12) is accepted', () => {
    // 10:00 UTC is 22:00 the day before at UTC-12.
    expect(startDateIssues({ startDate: '2026-06-14' }, now)).toEqual([]);
    expect(startDateIssues({ startDate: '2026-06-13' }, now)).toEqual([
      { path: 'startDate', message: 'is before today (2026-06-14 anywhere (no timeZone given))' },
    ]);
  });
});
