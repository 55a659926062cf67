import { DEFAULT_CONFIDENCE_WEIGHTS } from '../../../src/lib/models/confidence-weights';
import { catalogCategories } from '../../../src/lib/models/catalog-lookup';
import { syntheticInteractions } from '../../../src/lib/models/synthetic-interactions';
import {
  deserializeTrainingData,
  serializeTrainingData,
  trainingDataFrom,
} from '../../../src/lib/models/training-dataset';

describe('the frozen training dataset', () => {
  const { rows } = syntheticInteractions({
    users: 50,
    places: 30,
    interactions: 600,
    categories: 4,
    seed: 9,
  });

  it('is the same whatever order the rows were read in, and counts an exact duplicate once', () => {
    const data = trainingDataFrom(rows, DEFAULT_CONFIDENCE_WEIGHTS);
    const shuffled = [...rows].reverse();
    const again = trainingDataFrom([...shuffled, rows[5]!, rows[7]!], DEFAULT_CONFIDENCE_WEIGHTS);
    expect(again.fingerprint).toBe(data.fingerprint);
    expect(again.log.user.length).toBe(rows.length);
    expect(data.placeCategories.every((c) => c?.startsWith('category-'))).toBe(true);
  });

  it('round-trips through bytes, and a truncated snapshot is refused', () => {
    const data = trainingDataFrom(rows, DEFAULT_CONFIDENCE_WEIGHTS);
    const bytes = serializeTrainingData(data);
    const back = deserializeTrainingData(bytes);
    expect(back.fingerprint).toBe(data.fingerprint);
    expect(Array.from(back.log.weight)).toEqual(Array.from(data.log.weight));
    expect(Array.from(back.log.time)).toEqual(Array.from(data.log.time));
    expect(back.placeCategories).toEqual(data.placeCategories);
    expect(() => deserializeTrainingData(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
  });

  it('takes a place category from the catalog when the rows carry none', () => {
    const bare = rows.map(({ category: _category, ...row }) => row);
    const data = trainingDataFrom(bare, DEFAULT_CONFIDENCE_WEIGHTS, (id) =>
      id === 'place-3' ? 'museum' : undefined,
    );
    expect(data.placeCategories[data.log.placeIds.indexOf('place-3')]).toBe('museum');
    expect(data.placeCategories.filter((c) => c !== null)).toEqual(['museum']);
  });
});

describe('catalog categories for the data-quality gate', () => {
  const place = (id: string, category: string) => ({ id, category });
  const store = (catalogs: Record<string, Array<{ id: string; category: string }>>) => ({
    get: async (destination: string) =>
      catalogs[destination] ? ({ places: catalogs[destination] } as never) : undefined,
  });

  it('skips the check when no destination has a catalog', async () => {
    expect(await catalogCategories(store({}), ['Seoul', 'Busan'])).toBeUndefined();
  });

  it('maps every catalogued place of the destinations to its category', async () => {
    const map = await catalogCategories(store({ Seoul: [place('a', 'museum'), place('b', 'market')] }), [
      'Seoul',
      'Busan',
    ]);
    expect([...map!]).toEqual([
      ['a', 'museum'],
      ['b', 'market'],
    ]);
  });
});
