import type { InteractionAction } from '../contracts/interaction';
import type { TripGenerationRequest } from '../contracts/trip-generation-request';

/** The stored profile's version: a reader meeting a newer one recomputes instead of guessing. */
export const PROFILE_SCHEMA_VERSION = 1;

/** What the analysis may know about a place beyond the interaction itself (e.g. from a trip's places). */
export interface PlaceFacts {
  category?: string;
  priceLevel?: number;
}
export type PlaceCatalog = (placeId: string) => PlaceFacts | undefined;

/** A catalog from known places (a trip request's, say): category and price level by id. */
export function catalogFromPlaces(places: ReadonlyArray<{ id: string } & PlaceFacts>): PlaceCatalog {
  const byId = new Map(places.map((p) => [p.id, { category: p.category, priceLevel: p.priceLevel }]));
  return (placeId) => byId.get(placeId);
}

export interface CategoryWeight {
  category: string;
  /** Share of the user's positive, recency-weighted attention (all weights sum to 1). */
  weight: number;
  /** weight / the largest weight: 0-1, the scale of a trip request's `interests`. */
  interest: number;
  /** The recency-weighted points behind the weight (negative: dismissed or rated down). */
  score: number;
  /** The interactions behind it, by action, unweighted: the explanation of the weight. */
  counts: Partial<Record<InteractionAction, number>>;
  /** Ratings given in this category (action rate). */
  ratings?: { count: number; average: number };
  lastAt: string;
}

export type Unknown = { band: null; reason: string };

export type PaceBand = TripGenerationRequest['pace'];
export type Pace =
  { band: PaceBand; stopsPerDay: number; visitDays: number; stopsPerDayByDay: number[] } | Unknown;

export type BudgetBand = 'budget' | 'moderate' | 'premium';
export type Budget =
  | { band: BudgetBand; averagePriceLevel: number; pricedVisits: number; estimatedSpendPerStop: number }
  | Unknown;

export type Transport =
  { mode: TripGenerationRequest['transport']; reason: string } | { mode: null; reason: string };

export interface ActiveHours {
  /** Interactions by hour of the day in the sender's local time (as `at` was written), 0-23. */
  histogram: number[];
  /** Up to three busiest hours, busiest first. */
  topHours: number[];
}

export interface PreferenceProfile {
  schemaVersion: typeof PROFILE_SCHEMA_VERSION;
  userId: string;
  computedAt: string;
  window: { from: string; to: string; days: number };
  halfLifeDays: number;
  interactions: number;
  /** Interactions whose category neither the row nor the catalog knew: in no weight. */
  uncategorised: number;
  /** Best first. */
  categories: CategoryWeight[];
  /** category -> interest 0-1, ready for a trip request that omits `interests`. */
  interests: Record<string, number>;
  pace: Pace;
  budget: Budget;
  transport: Transport;
  activeHours: ActiveHours;
}
