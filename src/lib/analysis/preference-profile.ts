import type { Interaction, InteractionAction } from '../contracts/interaction';
import { activeHoursFrom, budgetFrom, localDay, localHour, paceFrom, round } from './profile-signals';
import {
  PROFILE_SCHEMA_VERSION,
  type CategoryWeight,
  type PlaceCatalog,
  type PreferenceProfile,
  type Transport,
} from './profile-types';

export * from './profile-types';
export { profileChanged, PROFILE_CHANGE_THRESHOLD, type ProfileChange } from './profile-change';

export const DEFAULT_WINDOW_DAYS = 180;
/**
 * An interaction loses half its weight every 60 days. Travellers act in bursts around their trips,
 * a few times a year: with 60 days the latest trip leads, the one before still counts (an act at the
 * far end of the default 180-day window weighs 1/8), and a taste that changed shows within weeks.
 */
export const RECENCY_HALF_LIFE_DAYS = 60;

/**
 * Points per action before recency: a visit (went there) says most, a save (plans to) next, a click
 * on a recommendation a little more than a view; a dismissal counts against the category. A rating
 * scores (rating - 3) x 2: 5 stars +4, 3 stars nothing, 1 star -4.
 */
export const ACTION_POINTS: Record<Exclude<InteractionAction, 'rate'>, number> = {
  view: 1,
  recommendation_click: 2,
  save: 3,
  visit: 5,
  recommendation_dismiss: -2,
};

export function actionPoints(interaction: Interaction): number {
  if (interaction.action === 'rate') return ((interaction.rating ?? 3) - 3) * 2;
  return ACTION_POINTS[interaction.action];
}

const DAY_MS = 24 * 3600_000;

export interface ProfileOptions {
  userId: string;
  /** The analysis time, passed in (an orchestration passes its own deterministic clock). */
  now: Date;
  windowDays?: number;
  halfLifeDays?: number;
  /** Categories and price levels of places, when known: interactions may omit the category. */
  catalog?: PlaceCatalog;
}

/** The window [now - days, now) to read from the interaction log for a profile. */
export function profileWindow(now: Date, windowDays = DEFAULT_WINDOW_DAYS): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - windowDays * DAY_MS), to: now };
}

interface CategoryTally {
  score: number;
  counts: Partial<Record<InteractionAction, number>>;
  ratingSum: number;
  ratingCount: number;
  lastAt: string;
  lastMs: number;
}

/**
 * A user's interactions over a window become a profile: category weights (recency-weighted,
 * normalised, with the counts behind each), typical pace, budget band, preferred transport and
 * active hours. It streams: the interactions are counted as they arrive, never held.
 * Interactions of other users or outside the window are ignored, so a caller may pass a wider read.
 */
export async function buildPreferenceProfile(
  interactions: AsyncIterable<Interaction> | Iterable<Interaction>,
  options: ProfileOptions,
): Promise<PreferenceProfile> {
  const windowDays = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  const halfLifeDays = options.halfLifeDays ?? RECENCY_HALF_LIFE_DAYS;
  const { from, to } = profileWindow(options.now, windowDays);
  const tallies = new Map<string, CategoryTally>();
  const visitsByDay = new Map<string, Set<string>>();
  const visitedPriceLevels: number[] = [];
  const hours = new Array<number>(24).fill(0);
  let counted = 0;
  let uncategorised = 0;

  for await (const row of interactions) {
    const atMs = Date.parse(row.at);
    if (row.userId !== options.userId || atMs < from.getTime() || atMs >= to.getTime()) continue;
    counted += 1;
    hours[localHour(row.at)]! += 1;
    const facts = options.catalog?.(row.placeId);
    if (row.action === 'visit') {
      const day = localDay(row.at);
      const places = visitsByDay.get(day) ?? new Set<string>();
      // The same place reported twice in a day is one stop.
      if (!places.has(row.placeId) && facts?.priceLevel !== undefined)
        visitedPriceLevels.push(facts.priceLevel);
      visitsByDay.set(day, places.add(row.placeId));
    }
    const category = row.category ?? facts?.category;
    if (!category) {
      uncategorised += 1;
      continue;
    }
    const ageDays = Math.max(0, options.now.getTime() - atMs) / DAY_MS;
    const tally = tallies.get(category) ?? {
      score: 0,
      counts: {},
      ratingSum: 0,
      ratingCount: 0,
      lastAt: row.at,
      lastMs: atMs,
    };
    tally.score += actionPoints(row) * 0.5 ** (ageDays / halfLifeDays);
    tally.counts[row.action] = (tally.counts[row.action] ?? 0) + 1;
    if (row.action === 'rate' && row.rating !== undefined) {
      tally.ratingSum += row.rating;
      tally.ratingCount += 1;
    }
    if (atMs > tally.lastMs) Object.assign(tally, { lastAt: row.at, lastMs: atMs });
    tallies.set(category, tally);
  }

  const categories = categoryWeights(tallies);
  return {
    schemaVersion: PROFILE_SCHEMA_VERSION,
    userId: options.userId,
    computedAt: options.now.toISOString(),
    window: { from: from.toISOString(), to: to.toISOString(), days: windowDays },
    halfLifeDays,
    interactions: counted,
    uncategorised,
    categories,
    interests: Object.fromEntries(
      categories.filter((c) => c.interest > 0).map((c) => [c.category, c.interest]),
    ),
    pace: paceFrom(visitsByDay),
    budget: budgetFrom(visitedPriceLevels, options.catalog !== undefined),
    transport: UNKNOWN_TRANSPORT,
    activeHours: activeHoursFrom(hours),
  };
}

/**
 * Interactions carry no transport, and nothing else the service stores says how a user travels, so
 * the profile says so rather than guess; trip requests keep naming their transport. When the
 * contract gains a transport field this is where it is counted.
 */
const UNKNOWN_TRANSPORT: Transport = {
  mode: null,
  reason: 'interactions carry no transport mode; the trip request names it',
};

/** Positive scores normalised to shares summing to 1; a category scored at or below 0 weighs 0. */
function categoryWeights(tallies: Map<string, CategoryTally>): CategoryWeight[] {
  const positive = [...tallies.values()].reduce((s, t) => s + Math.max(0, t.score), 0);
  const weights = [...tallies.entries()].map(([category, t]) => ({
    category,
    raw: positive > 0 ? Math.max(0, t.score) / positive : 0,
    t,
  }));
  const top = Math.max(0, ...weights.map((w) => w.raw));
  return weights
    .map(({ category, raw, t }): CategoryWeight => ({
      category,
      weight: round(raw, 4),
      interest: top > 0 ? round(raw / top, 4) : 0,
      score: round(t.score, 4),
      counts: t.counts,
      ...(t.ratingCount > 0
        ? { ratings: { count: t.ratingCount, average: round(t.ratingSum / t.ratingCount, 2) } }
        : {}),
      lastAt: t.lastAt,
    }))
    .sort((a, b) => b.weight - a.weight || b.score - a.score || a.category.localeCompare(b.category));
}
