import type { Interaction } from '../contracts/interaction';
import { plantedTasteData, type SyntheticOptions } from './synthetic-data';

/**
 * SYNTHETIC interaction rows (never real users) from the planted-taste generator, in the shape
 * `POST /api/interactions` and a training dataset blob take: for tests and `npm run demo -- models`.
 * Weights 1/3/5 become view/save/visit; each place carries its planted category.
 */
export function syntheticInteractions(
  options: SyntheticOptions & { destination?: string; start?: Date; spacingMs?: number },
): { rows: Interaction[]; categories: string[]; placeCategory: string[] } {
  const data = plantedTasteData(options);
  const { log } = data;
  // The generator spaces rows 1 s apart from 2026-01-01; `start` and `spacingMs` move and squeeze that.
  const base = Date.UTC(2026, 0, 1);
  const start = options.start?.getTime() ?? base;
  const spacing = (options.spacingMs ?? 1000) / 1000;
  const placeCategory = Array.from(data.placeCategory, (c) => data.categoryNames[c]!);
  const rows: Interaction[] = [];
  for (let n = 0; n < log.user.length; n++) {
    const weight = log.weight[n]!;
    rows.push({
      userId: log.userIds[log.user[n]!]!,
      placeId: log.placeIds[log.place[n]!]!,
      action: weight >= 5 ? 'visit' : weight >= 3 ? 'save' : 'view',
      at: new Date(start + (log.time[n]! - base) * spacing).toISOString(),
      destination: options.destination ?? 'Synthetic City',
      category: placeCategory[log.place[n]!]!,
    });
  }
  return { rows, categories: data.categoryNames, placeCategory };
}
