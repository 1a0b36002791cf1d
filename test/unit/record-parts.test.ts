// The generic parts helper: items cut in order into JSON arrays within a budget, written as one generation, read
// back whole (or not at all when a part is missing).
import { describe, expect, it } from 'vitest';
import { cutIntoParts, deleteParts, partKey, readParts, writeParts } from '../../src/store/record-parts';
import { EmbeddedStore } from '../../src/store/embedded-store';

describe('record parts', () => {
  it('cuts items in order into arrays whose JSON stays within the budget; an item larger than it stands alone', () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ i, name: 'x'.repeat(i % 7 === 0 ? 300 : 10) }));
    const parts = cutIntoParts(items, 200);
    expect(parts.flat()).toEqual(items);
    for (const part of parts) expect(part.length === 1 || JSON.stringify(part).length <= 200).toBe(true);
    expect(cutIntoParts([], 200)).toEqual([]);
  });

  it('writes one generation, reads it whole, deletes it; a missing part reads as nothing', async () => {
    const store = new EmbeddedStore();
    const ref = await writeParts(store, 'things', 'p1', [[1, 2], [3]]);
    expect(ref.count).toBe(2);
    expect(await readParts(store, 'things', 'p1', ref)).toEqual([1, 2, 3]);
    await store.delete('things', partKey('p1', ref.generation, 1));
    expect(await readParts(store, 'things', 'p1', ref)).toBeUndefined();
    await deleteParts(store, 'things', 'p1', ref);
    expect(await store.keys('things')).toEqual([]);
  });
});
