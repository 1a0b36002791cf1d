import { afterEach, describe, expect, it } from 'vitest';
import { VersionConflictError, type Store } from '../../src/store/store.port';

/**
 * The Store contract: one suite for every implementation (the embedded store now, Azure Storage on Azurite
 * later). `reopen` builds a second instance over the same persistent state, as a restarted bot would.
 */
export interface StoreFixture {
  store: Store;
  /** A fresh instance over the same data; omitted by implementations that do not persist. */
  reopen?: () => Promise<Store>;
  dispose?: () => Promise<void>;
}

export function describeStoreContract(name: string, makeStore: () => Promise<StoreFixture>): void {
  describe(`Store contract: ${name}`, () => {
    let fixture: StoreFixture | undefined;
    const open = async (): Promise<Store> => {
      fixture = await makeStore();
      return fixture.store;
    };
    afterEach(async () => {
      await fixture?.dispose?.();
      fixture = undefined;
    });

    it('creates only when absent: a second create conflicts and keeps the first value', async () => {
      const store = await open();
      const first = await store.put('plans', 'p1', { n: 1 });
      await expect(store.put('plans', 'p1', { n: 2 })).rejects.toBeInstanceOf(VersionConflictError);
      expect(await store.get('plans', 'p1')).toEqual({ value: { n: 1 }, version: first.version });
    });

    it('replaces with the current version and refuses a stale one', async () => {
      const store = await open();
      const v1 = await store.put('items', 'k', { state: 'pending' });
      const v2 = await store.put('items', 'k', { state: 'running' }, v1.version);
      expect(v2.version).not.toBe(v1.version);
      await expect(store.put('items', 'k', { state: 'done' }, v1.version)).rejects.toBeInstanceOf(VersionConflictError);
      await expect(store.put('items', 'missing', { state: 'done' }, v1.version)).rejects.toBeInstanceOf(VersionConflictError);
      expect((await store.get('items', 'k'))?.value).toEqual({ state: 'running' });
    });

    it('lets exactly one of 10 concurrent writers win each version', async () => {
      const store = await open();
      let current = await store.put('counter', 'c', { writer: -1 });
      for (let round = 0; round < 3; round += 1) {
        const base = current.version;
        const results = await Promise.allSettled(Array.from({ length: 10 }, (_, writer) => store.put('counter', 'c', { writer }, base)));
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        for (const r of lost) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
        current = (won[0] as PromiseFulfilledResult<typeof current>).value;
        expect(await store.get('counter', 'c')).toEqual({ value: current.value, version: current.version });
      }
    });

    it('lists a collection by key prefix, in key order, and keeps collections apart', async () => {
      const store = await open();
      await store.put('runs', 'plan-b/2', 'b2');
      await store.put('runs', 'plan-a/1', 'a1');
      await store.put('runs', 'plan-a/2', 'a2');
      await store.put('other', 'plan-a/3', 'x');
      const listed = await store.list<string>('runs', 'plan-a/');
      expect(listed.map((r) => [r.key, r.value])).toEqual([['plan-a/1', 'a1'], ['plan-a/2', 'a2']]);
      expect(await store.list('runs')).toHaveLength(3);
      expect(await store.list('empty')).toEqual([]);
    });

    it('lists keys alone (no values read), by prefix, in key order', async () => {
      const store = await open();
      await store.put('audit', '2026-02-01_b', { big: 'x'.repeat(1000) });
      await store.put('audit', '2026-01-31_a', 'a');
      await store.put('audit', '2026-02-01_a', 'c');
      await store.put('other', '2026-02-01_z', 'z');
      expect(await store.keys('audit')).toEqual(['2026-01-31_a', '2026-02-01_a', '2026-02-01_b']);
      expect(await store.keys('audit', '2026-02')).toEqual(['2026-02-01_a', '2026-02-01_b']);
      await store.delete('audit', '2026-02-01_a');
      expect(await store.keys('audit', '2026-02')).toEqual(['2026-02-01_b']);
      expect(await store.keys('empty')).toEqual([]);
    });

    it('deletes only with the current version (or unconditionally without one)', async () => {
      const store = await open();
      const v1 = await store.put('secrets', 's', { keyId: 'k1' });
      const v2 = await store.put('secrets', 's', { keyId: 'k2' }, v1.version);
      await expect(store.delete('secrets', 's', v1.version)).rejects.toBeInstanceOf(VersionConflictError);
      await store.delete('secrets', 's', v2.version);
      expect(await store.get('secrets', 's')).toBeUndefined();
      await store.put('secrets', 't', 1);
      await store.delete('secrets', 't');
      await store.delete('secrets', 'never-there');
      expect(await store.list('secrets')).toEqual([]);
    });

    it('keys with slashes, dots and unicode round-trip', async () => {
      const store = await open();
      const key = 'plan/../x.y/ünï code:*?';
      await store.put('odd', key, { ok: true });
      expect((await store.list('odd')).map((r) => r.key)).toEqual([key]);
    });

    it('a reopened instance sees the data, versions and deletions', async () => {
      const store = await open();
      if (!fixture?.reopen) return expect(fixture?.reopen).toBeUndefined();
      const kept = await store.put('plans', 'p1', { id: 'p1', items: [1, 2, 3] });
      await store.put('plans', 'gone', 1);
      await store.delete('plans', 'gone');
      const again = await fixture.reopen();
      expect(await again.get('plans', 'p1')).toEqual(kept);
      expect(await again.get('plans', 'gone')).toBeUndefined();
      const next = await again.put('plans', 'p1', { id: 'p1', items: [] }, kept.version);
      expect(next.version).not.toBe(kept.version);
      await expect(again.put('plans', 'p1', {}, kept.version)).rejects.toBeInstanceOf(VersionConflictError);
    });
  });
}
