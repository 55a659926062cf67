import {
  MAX_INTERACTIONS_PER_CALL,
  parseInteraction,
  parseInteractionCall,
} from '../../../src/lib/contracts/interaction';

const view = {
  userId: 'user@example.com',
  placeId: 'gyeongbokgung',
  action: 'view',
  at: '2026-05-01T14:30:00+09:00',
  destination: 'Seoul',
};

describe('interaction contract', () => {
  it('accepts a call and keeps `at` as the sender wrote it', () => {
    const parsed = parseInteractionCall({
      interactions: [
        view,
        { ...view, action: 'rate', rating: 5, category: 'palace', at: '2026-05-01T05:30:00Z' },
        { ...view, action: 'recommendation_click', recommendationId: 'rec-1' },
      ],
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        schemaVersion: 1,
        interactions: [
          view,
          { ...view, action: 'rate', rating: 5, category: 'palace', at: '2026-05-01T05:30:00Z' },
          { ...view, action: 'recommendation_click', recommendationId: 'rec-1' },
        ],
      },
    });
  });

  it('lists every bad row by index and field', () => {
    const parsed = parseInteractionCall({
      interactions: [
        view,
        { ...view, action: 'rate' },
        { ...view, rating: 4 },
        { ...view, action: 'like', at: 'yesterday', userId: 'a b' },
        { ...view, action: 'rate', rating: 6 },
        { ...view, extra: 1, destination: '' },
      ],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues).toEqual(
      expect.arrayContaining([
        { path: 'interactions[1].rating', message: 'is required when action is rate (1-5)' },
        { path: 'interactions[2].rating', message: 'is only allowed when action is rate (action is view)' },
        { path: 'interactions[3].action', message: expect.stringMatching(/^must be one of view, save/) },
        { path: 'interactions[3].at', message: expect.stringMatching(/^must be an ISO 8601 date-time/) },
        { path: 'interactions[3].userId', message: expect.any(String) },
        { path: 'interactions[4].rating', message: 'must be from 1 to 5' },
        { path: 'interactions[5].destination', message: 'must not be empty' },
        { path: 'interactions[5]', message: expect.stringMatching(/extra/) },
      ]),
    );
    expect(parsed.issues.some((i) => i.path.startsWith('interactions[0]'))).toBe(false);
  });

  it('names a missing field as required and refuses empty, oversized and bare-array calls', () => {
    const { placeId: _p, ...noPlace } = view;
    expect(parseInteraction(noPlace)).toEqual({
      ok: false,
      issues: [{ path: 'placeId', message: 'is required' }],
    });
    expect(parseInteractionCall({ interactions: [] })).toMatchObject({
      ok: false,
      issues: [{ path: 'interactions', message: 'must hold at least one interaction' }],
    });
    const tooMany = Array.from({ length: MAX_INTERACTIONS_PER_CALL + 1 }, () => view);
    expect(parseInteractionCall({ interactions: tooMany })).toMatchObject({
      ok: false,
      issues: [{ path: 'interactions', message: 'must hold at most 10000 interactions' }],
    });
    expect(parseInteractionCall([view])).toMatchObject({
      ok: false,
      issues: [{ path: '', message: 'must be an object {"interactions": [...]}' }],
    });
    expect(parseInteractionCall({ schemaVersion: 2, interactions: [view] })).toMatchObject({
      ok: false,
      issues: [{ path: 'schemaVersion', message: expect.stringMatching(/newer than this service/) }],
    });
  });

  it('accepts the largest call', () => {
    const most = Array.from({ length: MAX_INTERACTIONS_PER_CALL }, (_, i) => ({ ...view, placeId: `p${i}` }));
    const started = performance.now();
    const parsed = parseInteractionCall({ interactions: most });
    expect(parsed.ok).toBe(true);
    // Not a benchmark: a guard that validating a full call stays far below a request's budget.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
