import { z } from 'zod';
import { entityIdField } from './common-fields';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A time of day, 00:00-23:59. */
export const clockField = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM (00:00-23:59)');
/** A closing time may also be 24:00: open until midnight. */
const closingClock = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time HH:MM (00:00-24:00)');

/**
 * One opening interval, ["HH:MM","HH:MM"], closing after it opens. Hours past midnight (a night
 * market until 02:00) are written as two intervals on two weekdays: an interval never wraps.
 */
const openInterval = z
  .tuple([clockField, closingClock])
  .refine(([open, close]) => open < close, 'must open before it closes (["HH:MM","HH:MM"], 24:00 at most)');

/** Weekday -> opening intervals. A weekday left out is a day the place is closed. */
const openingHours = z.partialRecord(z.enum(WEEKDAYS), z.array(openInterval).max(4));

export const placeSchema = z.strictObject({
  id: entityIdField,
  name: z.string().trim().min(1).max(200),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  category: z.string().trim().min(1).max(64),
  visitMinutes: z.number().int().min(5, 'must be at least 5').max(720, 'must be at most 720'),
  /** Absent: open all day, every day. */
  openingHours: openingHours.optional(),
  priceLevel: z.number().int().min(0).max(4),
  rating: z.number().min(0).max(5),
});

export const pointSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});

export type Place = z.output<typeof placeSchema>;
export type OpeningHours = NonNullable<Place['openingHours']>;
