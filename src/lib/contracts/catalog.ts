import { z } from 'zod';
import type { FieldIssue } from '../errors/app-errors';
import { CONTRACT_PARSE_PARAMS } from './common-fields';
import { toFieldIssues } from './field-issues';
import { placeSchema, type Place } from './place-schema';

/**
 * A destination's place catalog (`PUT /api/catalog/{destination}`): the places recommendations rank
 * and model training checks interactions against, in the trip request's place schema.
 */
export const CATALOG_SCHEMA_VERSION = 1;
/** A large city's points of interest fit; the serving benchmark runs at this size. */
export const MAX_CATALOG_PLACES = 100_000;

/**
 * Destinations name a blob and appear in URLs: letters (any script), digits, spaces and `_ . ' -`,
 * 1-100 characters, starting with a letter or digit. Matching is case-insensitive (`Seoul` = `seoul`),
 * like the `destination` of an interaction.
 */
const DESTINATION_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _.'-]{0,99}$/u;

export function parseDestination(
  raw: string,
): { ok: true; value: string } | { ok: false; issue: FieldIssue } {
  const value = raw.trim().normalize('NFC');
  return DESTINATION_PATTERN.test(value)
    ? { ok: true, value }
    : {
        ok: false,
        issue: {
          path: 'destination',
          message: "must be 1-100 letters, digits, spaces or _ . ' - starting with a letter or digit",
        },
      };
}

/** The one key a destination is stored and cached under. */
export function destinationKey(destination: string): string {
  return destination.trim().normalize('NFC').toLowerCase();
}

const catalogBodySchema = z
  .strictObject({
    places: z
      .array(placeSchema)
      .min(1, 'must list at least one place')
      .max(MAX_CATALOG_PLACES, `must list at most ${MAX_CATALOG_PLACES} places`),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.places.forEach((place, index) => {
      if (seen.has(place.id))
        ctx.addIssue({
          code: 'custom',
          path: ['places', index, 'id'],
          message: `duplicates place id "${place.id}"`,
        });
      seen.add(place.id);
    });
  });

export type CatalogParse = { ok: true; value: { places: Place[] } } | { ok: false; issues: FieldIssue[] };

/** Every bad row is named by index and field (`places[3].lat: must be at most 90`); one bad row stores nothing. */
export function parseCatalogBody(input: unknown): CatalogParse {
  const parsed = catalogBodySchema.safeParse(input, CONTRACT_PARSE_PARAMS);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, issues: toFieldIssues(parsed.error) };
}

/** What is stored per destination. */
export interface Catalog {
  schemaVersion: typeof CATALOG_SCHEMA_VERSION;
  destination: string;
  updatedAt: string;
  places: Place[];
}
