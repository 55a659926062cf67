/**
 * Interactions for the demos, clearly synthetic: each demo user has one favourite category (most of
 * their visits and saves) and browses the rest, spread over the last few weeks.
 */
const CATEGORIES = ['palace', 'museum', 'market', 'food', 'park', 'temple'] as const;

export interface DemoInteraction {
  userId: string;
  placeId: string;
  action: 'view' | 'save' | 'visit';
  at: string;
  destination: string;
  category: string;
}

export function favouriteOf(userIndex: number): string {
  return CATEGORIES[userIndex % CATEGORIES.length]!;
}

export function demoInteractions(userId: string, userIndex: number, now = Date.now()): DemoInteraction[] {
  const favourite = favouriteOf(userIndex);
  const rows: DemoInteraction[] = [];
  for (let i = 0; i < 8; i++) {
    rows.push({
      userId,
      placeId: `${favourite}-${i}`,
      action: i % 3 === 0 ? 'save' : 'visit',
      at: new Date(now - (i + 1) * 26 * 3600_000).toISOString(),
      destination: 'Seoul',
      category: favourite,
    });
  }
  for (const [j, category] of CATEGORIES.entries()) {
    if (category === favourite) continue;
    rows.push({
      userId,
      placeId: `${category}-browse`,
      action: 'view',
      at: new Date(now - (j + 3) * 50 * 3600_000).toISOString(),
      destination: 'Seoul',
      category,
    });
  }
  return rows;
}
