import { describe, expect, it } from 'vitest';
import { ConnectionInventory } from '../../src/inventory/connection-inventory';
import { INVENTORY_COLLECTION, INVENTORY_PARTS_COLLECTION } from '../../src/inventory/inventory-store';
import { PART_BUDGET } from '../../src/store/record-parts';
import type { Store } from '../../src/store/store.port';
import { connection, failed, project, recordingLogger, TestClock } from '../support/inventory-fixtures';

/**
 * The inventory in a Store: one suite for every Store (the embedded one, Azure Tables on Azurite). `open` gives a
 * Store over the same records each time it is called (a second instance, or a restart).
 */
export function describeInventoryPersistence(name: string, fixture: () => Promise<{ open: () => Store }>): void {
  describe(`inventory persistence: ${name}`, () => {
    const ALPHA = project('Alpha');
    const BETA = project('Beta');
    const make = (store: Store, clock = new TestClock()) => new ConnectionInventory({ store, clock, logger: recordingLogger().logger, maxConnections: 100_000 });

    it('writes behind the reads; another instance loads every project as it was kept', async () => {
      const { open } = await fixture();
      const clock = new TestClock();
      const first = make(open(), clock);
      const shared = connection('sc-shared', [ALPHA, BETA], { names: ['sc-shared', 'in-beta'] });
      first.recordProjectList(ALPHA, [shared, failed(connection('sc-broken', [ALPHA]))], clock.now());
      first.recordProjectList(BETA, [shared], clock.now());
      await first.flush();
      const second = make(open(), clock);
      expect(await second.load()).toBe(2);
      expect(second.project('Alpha')).toEqual(first.project('Alpha'));
      expect(second.lookup('in-beta')[0]?.entry).toEqual(first.lookup('in-beta')[0]?.entry);
      expect(second.connections).toBe(3);
    });

    it('keeps a project of 2,000 long Unicode names in parts within one entity each, and only the current ones', async () => {
      const { open } = await fixture();
      const store = open();
      const clock = new TestClock();
      const inv = make(store, clock);
      const many = Array.from({ length: 2000 }, (_, i) => connection(`подключение-${'名'.repeat(60)}-${i}`, [ALPHA]));
      inv.recordProjectList(ALPHA, many, clock.now());
      await inv.flush();
      clock.advance(1_000);
      inv.recordProjectList(ALPHA, many.slice(0, 1500), clock.now());
      await inv.flush();
      const parts = await store.list<unknown[]>(INVENTORY_PARTS_COLLECTION);
      expect(parts.length).toBeGreaterThan(1);
      for (const part of parts) expect(JSON.stringify(part.value).length).toBeLessThanOrEqual(PART_BUDGET);
      expect(parts.reduce((n, p) => n + p.value.length, 0)).toBe(1500);
      const again = make(open(), clock);
      await again.load();
      expect(again.project('Alpha')?.entries).toHaveLength(1500);
      expect(JSON.stringify(parts)).not.toContain('SEED-SECRET');
    });

    it('forgets a project gone from the organization in the store too', async () => {
      const { open } = await fixture();
      const store = open();
      const clock = new TestClock();
      const inv = make(store, clock);
      inv.recordProjectList(ALPHA, [connection('a', [ALPHA])], clock.now());
      inv.recordProjectList(BETA, [connection('b', [BETA])], clock.now());
      await inv.flush();
      inv.recordProjects([ALPHA], clock.now());
      await inv.flush();
      expect((await store.keys(INVENTORY_COLLECTION)).filter((k) => k.startsWith('project/'))).toEqual([`project/${ALPHA.id.toLowerCase()}`]);
      expect(await store.keys(INVENTORY_PARTS_COLLECTION, BETA.id.toLowerCase())).toEqual([]);
    });

    it('two instances: the newer list of a project wins, and sync takes what the other stored', async () => {
      const { open } = await fixture();
      const clock = new TestClock();
      const [a, b] = [make(open(), clock), make(open(), clock)];
      b.recordProjectList(ALPHA, [connection('old', [ALPHA])], clock.now());
      await b.flush();
      await a.load();
      clock.advance(5_000);
      a.recordProjectList(ALPHA, [connection('newer', [ALPHA])], clock.now());
      await a.flush();
      expect(await b.sync()).toBe(1);
      expect(b.lookup('newer')).toHaveLength(1);
      // b now saves a list read before a's: the stored newer one is kept, and b takes it.
      b.recordProjectList(ALPHA, [connection('stale', [ALPHA])], new Date(clock.now().getTime() + 1));
      clock.advance(5_000);
      a.recordProjectList(ALPHA, [connection('newest', [ALPHA])], clock.now());
      await a.flush();
      await b.flush();
      const c = make(open(), clock);
      await c.load();
      expect(c.project('Alpha')?.entries.map((e) => e.name)).toEqual(['newest']);
    });

    it('a save that dies after its parts and before its header leaves the previous list whole', async () => {
      const { open } = await fixture();
      const clock = new TestClock();
      const store = open();
      const inv = make(store, clock);
      inv.recordProjectList(ALPHA, [connection('kept', [ALPHA])], clock.now());
      await inv.flush();
      const dying = make(headerWritesFail(open()), clock);
      await dying.load();
      clock.advance(1_000);
      dying.recordProjectList(ALPHA, [connection('lost', [ALPHA])], clock.now());
      await dying.flush();
      const reader = make(open(), clock);
      await reader.load();
      expect(reader.project('Alpha')?.entries.map((e) => e.name)).toEqual(['kept']);
    });
  });
}

/** A Store whose header writes fail (the process dies between the parts and the header). */
function headerWritesFail(store: Store): Store {
  return {
    get: (c, k) => store.get(c, k),
    delete: (c, k, v) => store.delete(c, k, v),
    list: (c, p) => store.list(c, p),
    keys: (c, p) => store.keys(c, p),
    put: async (c, k, v, e) => {
      if (c === INVENTORY_COLLECTION) throw new Error('the process died here');
      return store.put(c, k, v, e);
    },
  };
}
