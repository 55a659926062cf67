import type { Interaction, InteractionAction } from '../contracts/interaction';

/**
 * How much each action says about a user's taste, as a signed weight. Weights of one user and place
 * add up; a positive sum means "liked" (preference 1), a negative one "disliked" (preference 0), and
 * the size becomes the confidence c = 1 + alpha * |sum| (Hu, Koren & Volinsky 2008, with the sign
 * convention `implicit` uses for negative feedback). Settings, not constants: tune per deployment.
 */
export interface ConfidenceWeights {
  view: number;
  save: number;
  visit: number;
  /** Weight of a `rate` by its rating 1-5 (index 0 is rating 1). */
  rate: [number, number, number, number, number];
  recommendation_click: number;
  recommendation_dismiss: number;
}

export const DEFAULT_CONFIDENCE_WEIGHTS: ConfidenceWeights = {
  view: 1,
  save: 3,
  visit: 5,
  rate: [-3, -1, 1, 3, 5],
  recommendation_click: 2,
  recommendation_dismiss: -2,
};

export function validateConfidenceWeights(weights: ConfidenceWeights): ConfidenceWeights {
  const problems: string[] = [];
  for (const action of ['view', 'save', 'visit', 'recommendation_click', 'recommendation_dismiss'] as const) {
    if (!Number.isFinite(weights[action])) problems.push(`${action}: must be a finite number`);
  }
  if (!Array.isArray(weights.rate) || weights.rate.length !== 5 || !weights.rate.every(Number.isFinite)) {
    problems.push('rate: must be five finite numbers, for ratings 1 to 5');
  }
  if (problems.length > 0) throw new RangeError(`confidence weights: ${problems.join('; ')}`);
  return weights;
}

export function actionWeight(
  interaction: Pick<Interaction, 'action' | 'rating'>,
  weights: ConfidenceWeights,
): number {
  const action: InteractionAction = interaction.action;
  if (action === 'rate') return weights.rate[(interaction.rating ?? 3) - 1] ?? 0;
  return weights[action];
}
