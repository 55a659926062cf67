import { z } from 'zod';
import { entityIdField, jobIdField } from './common-fields';

/**
 * The TripGenerated event on the ai-events topic (application property EventType = 'TripGenerated';
 * trip-service and notification-service subscribe to it). It announces the schedule; the schedule
 * itself is read from GET /api/trips/{tripId}/schedule (cached 8 h), not carried in the message.
 */
export const tripGeneratedEventSchema = z.strictObject({
  eventType: z.literal('TripGenerated'),
  schemaVersion: z.literal(1),
  jobId: jobIdField,
  tripId: entityIdField,
  userId: entityIdField,
  destination: z.string(),
  startDate: z.iso.date(),
  days: z.number().int().min(1),
  totals: z.object({
    days: z.number().int(),
    stops: z.number().int(),
    visitMinutes: z.number(),
    travelMinutes: z.number(),
    travelKm: z.number(),
    estimatedCost: z.number(),
  }),
  scheduleKey: z.string(),
  generatedAt: z.iso.datetime(),
});

export type TripGeneratedEvent = z.infer<typeof tripGeneratedEventSchema>;
