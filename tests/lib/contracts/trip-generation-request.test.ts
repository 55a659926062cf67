import fs from 'node:fs';
import path from 'node:path';
import { formatIssues } from '../../../src/lib/contracts/field-issues';
import { parseTripGenerationRequest } from '../../../src/lib/contracts/trip-generation-request';
import type { FieldIssue } from '../../../src/lib/errors/app-errors';

const sample = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../samples/trip-request.json'), 'utf8'),
) as {
  places: Array<Record<string, unknown>>;
  destination: string;
  dayStart?: string;
  dayEnd?: string;
  schemaVersion?: number;
};
const valid = { ...sample, jobId: 'job-1' };

describe('trip generation request contract', () => {
  it('accepts the sample and applies the defaults', () => {
    const { dayStart: _s, dayEnd: _e, schemaVersion: _v, ...minimal } = valid;
    const parsed = parseTripGenerationRequest(minimal);
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
    expect(parsed.value).toMatchObject({
      schemaVersion: 1,
      dayStart: '09:00',
      dayEnd: '21:00',
      sessionId: 'user-demo',
    });
    expect(parsed.value.places).toHaveLength(sample.places.length);
  });

  it('reports every invalid field by path in one result', () => {
    const places = structuredClone(sample.places);
    places[3]!.lat = 91;
    places[5]!.openingHours = { mon: [['18:00', '09:00']], xyz: [] };
    places[7]!.priceLevel = 5;
    const parsed = parseTripGenerationRequest({
      ...valid,
      jobId: 'bad id',
      startDate: '2026-02-30',
      days: 15,
      dayStart: '25:00',
      pace: 'fast',
      interests: { palace: 1.5 },
      transport: 'boat',
      places,
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const paths = parsed.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'jobId',
        'startDate',
        'days',
        'dayStart',
        'pace',
        'interests.palace',
        'transport',
        'places[3].lat',
        'places[5].openingHours.mon[0]',
        'places[5].openingHours',
        'places[7].priceLevel',
      ]),
    );
    expect(formatIssues(parsed.issues)).toContain('startDate: is not a real calendar date');
  });

  it('says a missing field is required, in those words', () => {
    const { destination: _d, ...noDestination } = valid;
    const parsed = parseTripGenerationRequest({ ...noDestination, lodging: { lat: 37.5 } });
    expect(parsed).toEqual({
      ok: false,
      issues: [
        { path: 'destination', message: 'is required' },
        { path: 'lodging.lng', message: 'is required' },
      ],
    });
  });

  it('checks facts across fields: day window, unique ids, must-visit ids', () => {
    const places = [...sample.places, { ...sample.places[0]! }];
    const parsed = parseTripGenerationRequest({
      ...valid,
      dayStart: '18:00',
      dayEnd: '10:00',
      mustVisit: ['nowhere'],
      places,
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues).toEqual(
      expect.arrayContaining([
        { path: 'dayEnd', message: 'must be after dayStart (18:00)' },
        { path: `places[${places.length - 1}].id`, message: 'duplicates place id "gyeongbokgung"' },
        { path: 'mustVisit[0]', message: '"nowhere" is not one of the places' },
      ]),
    );
  });

  it('refuses unknown fields, and answers a future schema version with that one fact', () => {
    const unknownField = parseTripGenerationRequest({ ...valid, surprise: true });
    expect(unknownField).toMatchObject({ ok: false, issues: [{ path: '' }] });
    expect(formatIssues((unknownField as { issues: FieldIssue[] }).issues)).toContain('surprise');

    const future = parseTripGenerationRequest({ ...valid, schemaVersion: 2, surprise: true });
    expect(future).toEqual({
      ok: false,
      issues: [
        {
          path: 'schemaVersion',
          message: 'version 2 is newer than this service understands (it speaks version 1); send version 1',
        },
      ],
    });
    const zero = parseTripGenerationRequest({ ...valid, schemaVersion: 0 });
    expect(zero).toMatchObject({ ok: false, issues: [{ path: 'schemaVersion' }] });
  });

  it('fills a missing jobId only from the generator the caller passes', () => {
    const { jobId: _j, ...withoutJobId } = valid;
    const newJobId = jest.fn(() => 'generated-1');
    const filled = parseTripGenerationRequest(withoutJobId, { newJobId });
    expect(filled).toMatchObject({ ok: true, value: { jobId: 'generated-1' } });

    const given = parseTripGenerationRequest(valid, { newJobId });
    expect(given).toMatchObject({ ok: true, value: { jobId: 'job-1' } });
    expect(newJobId).toHaveBeenCalledTimes(1);

    // No generator: the missing id is reported alongside every other bad field.
    const missing = parseTripGenerationRequest({ ...withoutJobId, days: 0 });
    expect(missing.ok).toBe(false);
    if (missing.ok) return;
    expect(missing.issues.map((i) => i.path).sort()).toEqual(['days', 'jobId']);
    expect(() => parseTripGenerationRequest(withoutJobId, { newJobId: () => 'has space' })).toThrow(
      /generator made an invalid id/,
    );
  });

  it('reads opening hours: 24:00 closes at midnight, an interval never wraps past it', () => {
    const places = structuredClone(sample.places);
    places[0]!.openingHours = { fri: [['18:00', '24:00']] };
    expect(parseTripGenerationRequest({ ...valid, places }).ok).toBe(true);
    places[0]!.openingHours = { fri: [['18:00', '02:00']], sat: [['24:00', '24:00']] };
    const parsed = parseTripGenerationRequest({ ...valid, places });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['places[0].openingHours.fri[0]', 'places[0].openingHours.sat[0][0]']),
    );
  });
});

describe('formatIssues', () => {
  const issues = Array.from({ length: 50 }, (_, i) => ({
    path: `places[${i}].lat`,
    message: 'must be at most 90',
  }));

  it('joins every issue on one line', () => {
    expect(formatIssues(issues.slice(0, 2))).toBe(
      'places[0].lat: must be at most 90; places[1].lat: must be at most 90',
    );
    expect(formatIssues([{ path: '', message: 'the body must be a JSON object' }])).toBe(
      '(message): the body must be a JSON object',
    );
  });

  it('keeps whole issues within a length cap and counts the rest', () => {
    const line = formatIssues(issues, { maxLength: 120 });
    expect(line.length).toBeLessThanOrEqual(120);
    // Three issues of 33 characters, two separators and the count make 119.
    expect(line).toBe(
      'places[0].lat: must be at most 90; places[1].lat: must be at most 90; places[2].lat: must be at most 90; … and 47 more',
    );
    expect(formatIssues(issues, { maxLength: 100_000 })).toBe(formatIssues(issues));
  });
});
