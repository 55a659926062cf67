import { interactionSchema } from '../../../src/lib/contracts/interaction';
import { DEFAULT_CONFIDENCE_WEIGHTS } from '../../../src/lib/models/confidence-weights';
import { buildInteractionMatrix } from '../../../src/lib/models/interaction-matrix';

const at = '2026-03-01T10:00:00Z';

describe('interaction matrix', () => {
  it('sums weights per user and place, by the weight settings, both ways round', () => {
    const m = buildInteractionMatrix(
      [
        { userId: 'u2', placeId: 'p1', action: 'view' },
        { userId: 'u1', placeId: 'p2', action: 'save' },
        { userId: 'u1', placeId: 'p2', action: 'visit' },
        { userId: 'u1', placeId: 'p1', action: 'rate', rating: 1 },
        { userId: 'u2', placeId: 'p2', action: 'recommendation_dismiss' },
      ],
      { ...DEFAULT_CONFIDENCE_WEIGHTS, save: 3, visit: 5, view: 1, recommendation_dismiss: -2 },
    );
    expect(m.userIds).toEqual(['u1', 'u2']);
    expect(m.placeIds).toEqual(['p1', 'p2']);
    const row = (u: number) => ({
      places: Array.from(m.byUser.indices.subarray(m.byUser.indptr[u]!, m.byUser.indptr[u + 1]!)),
      weights: Array.from(m.byUser.values.subarray(m.byUser.indptr[u]!, m.byUser.indptr[u + 1]!)),
    });
    expect(row(0)).toEqual({ places: [0, 1], weights: [-3, 8] });
    expect(row(1)).toEqual({ places: [0, 1], weights: [1, -2] });
    expect(Array.from(m.byPlace.indptr)).toEqual([0, 2, 4]);
    expect(Array.from(m.byPlace.values)).toEqual([-3, 1, 8, -2]);
  });

  it('refuses weight settings that are not numbers, by name', () => {
    expect(() =>
      buildInteractionMatrix([], { ...DEFAULT_CONFIDENCE_WEIGHTS, view: Number.NaN, rate: [1, 2] as never }),
    ).toThrow(/view: must be a finite number; rate: must be five finite numbers/);
  });
});

describe('interaction contract', () => {
  it('accepts the documented shape and names each bad field', () => {
    expect(
      interactionSchema.safeParse({
        userId: 'u',
        placeId: 'p',
        action: 'rate',
        rating: 4,
        at,
        destination: 'seoul',
      }).success,
    ).toBe(true);
    const bad = interactionSchema.safeParse({
      userId: 'u {x}',
      placeId: 'p',
      action: 'rate',
      at: 'yesterday',
      destination: '',
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['at', 'destination', 'rating', 'userId']); // rate without a rating, too
    const noRating = interactionSchema.safeParse({
      userId: 'u',
      placeId: 'p',
      action: 'rate',
      at,
      destination: 'seoul',
    });
    expect(noRating.error!.issues[0]).toMatchObject({
      path: ['rating'],
      message: 'is required when action is rate (1-5)',
    });
  });
});
