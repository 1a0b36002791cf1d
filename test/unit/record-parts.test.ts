// The generic parts helper: entries packed in order within a budget, written as one generation, read back whole
// (or not at all when a part is missing).
import { describe, expect, it } from 'vitest';
import { packBySize, RecordParts } from '../../src/store/record-parts';
import { EmbeddedStore } from '../../src/store/embedded-store';

describe('record parts', () => {
  it('packs entries in order into groups whose size stays within the budget; an entry larger than it stands alone', () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ i, name: 'x'.repeat(i % 7 === 0 ? 300 : 10) }));
    const size = (item: unknown) => JSON.stringify(item).length + 1;
    const parts = packBySize(items, size, 200);
    expect(parts.flat()).toEqual(items);
    for (const part of parts) expect(part.length === 1 || part.reduce((sum, item) => sum + size(item), 0) <= 200).toBe(true);
    expect(packBySize([], size, 200)).toEqual([]);
  });

  it('writes one generation, reads it whole, removes it; a missing part reads as nothing', async () => {
    const store = new EmbeddedStore();
    const parts = new RecordParts<number[]>(store, 'things');
    const ref = RecordParts.newRef(2);
    await parts.write('p1/', ref, [[1, 2], [3]]);
    expect((await parts.read('p1/', ref))?.flat()).toEqual([1, 2, 3]);
    await store.delete('things', parts.keys('p1/', ref)[1] as string);
    expect(await parts.read('p1/', ref)).toBeUndefined();
    await parts.remove('p1/', ref);
    expect(await store.keys('things')).toEqual([]);
  });
});
