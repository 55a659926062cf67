import type { CatalogStore } from '../catalog/catalog-store';

/**
 * Place id -> category over the catalogs of the given destinations, for the data-quality gate
 * (interactions on places missing from the catalog, category mix). undefined when none of them has
 * a catalog: the check is skipped rather than failing every row. When some have one, the rows of
 * destinations without a catalog count as missing (their places are in no catalog).
 */
export async function catalogCategories(
  store: Pick<CatalogStore, 'get'>,
  destinations: readonly string[],
): Promise<Map<string, string | undefined> | undefined> {
  const catalogs = await Promise.all(destinations.map((d) => store.get(d)));
  if (catalogs.every((c) => c === undefined)) return undefined;
  const categories = new Map<string, string | undefined>();
  for (const catalog of catalogs)
    for (const place of catalog?.places ?? []) categories.set(place.id, place.category);
  return categories;
}
