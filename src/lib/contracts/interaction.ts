import { z } from 'zod';
import { entityIdField } from './common-fields';

/**
 * One entry of the interaction log the recommendation model learns from (see POST /api/interactions).
 * `rating` is required for `rate` and refused otherwise; `recommendationId` ties a click or a dismissal
 * to the served list it came from (canary feedback).
 */
export const INTERACTION_ACTIONS = [
  'view',
  'save',
  'visit',
  'rate',
  'recommendation_click',
  'recommendation_dismiss',
] as const;
export type InteractionAction = (typeof INTERACTION_ACTIONS)[number];

export const interactionSchema = z
  .object({
    userId: entityIdField,
    placeId: entityIdField,
    action: z.enum(INTERACTION_ACTIONS, { message: `must be one of ${INTERACTION_ACTIONS.join(', ')}` }),
    rating: z
      .number()
      .int('must be a whole number from 1 to 5')
      .min(1, 'must be 1-5')
      .max(5, 'must be 1-5')
      .optional(),
    at: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }),
    destination: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
    category: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters').optional(),
    recommendationId: z.string().min(1).max(128).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.action === 'rate' && value.rating === undefined) {
      ctx.addIssue({ code: 'custom', path: ['rating'], message: 'is required when action is rate' });
    }
    if (value.action !== 'rate' && value.rating !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['rating'], message: 'is only allowed when action is rate' });
    }
  });

export type Interaction = z.infer<typeof interactionSchema>;
