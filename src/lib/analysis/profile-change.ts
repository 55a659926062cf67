import type { PreferenceProfile } from './profile-types';

/**
 * PersonalizationUpdated is announced only when a new profile differs from the stored one enough to
 * change what a user is offered:
 * - the category weights moved by more than 0.15 in L1 distance (sum of |old - new| over all
 *   categories; 0 = same, 2 = disjoint). 0.15 is 7.5 % of the user's attention moving between
 *   categories; below that a planner's place scores (interest x 0.65) move by at most ~0.05 and
 *   the ranking of places barely changes, so downstream services would refresh for nothing;
 * - or the pace band or the budget band changed (each changes a trip outright);
 * - or there was no profile before.
 */
export const PROFILE_CHANGE_THRESHOLD = 0.15;

export interface ProfileChange {
  changed: boolean;
  /** The L1 distance between the category weights. */
  categoryDistance: number;
  reasons: string[];
}

export function profileChanged(
  previous: PreferenceProfile | undefined,
  next: PreferenceProfile,
): ProfileChange {
  if (!previous) return { changed: true, categoryDistance: 2, reasons: ['first profile'] };
  const before = new Map(previous.categories.map((c) => [c.category, c.weight]));
  const after = new Map(next.categories.map((c) => [c.category, c.weight]));
  let distance = 0;
  for (const category of new Set([...before.keys(), ...after.keys()])) {
    distance += Math.abs((before.get(category) ?? 0) - (after.get(category) ?? 0));
  }
  distance = Math.round(distance * 10_000) / 10_000;
  const reasons: string[] = [];
  if (distance > PROFILE_CHANGE_THRESHOLD)
    reasons.push(`category weights moved by ${distance} (L1; threshold ${PROFILE_CHANGE_THRESHOLD})`);
  if (previous.pace.band !== next.pace.band)
    reasons.push(`pace band ${previous.pace.band ?? 'unknown'} -> ${next.pace.band ?? 'unknown'}`);
  if (previous.budget.band !== next.budget.band)
    reasons.push(`budget band ${previous.budget.band ?? 'unknown'} -> ${next.budget.band ?? 'unknown'}`);
  return { changed: reasons.length > 0, categoryDistance: distance, reasons };
}
