// Who disabled a connection, as the inventory keeps it (issue 24 §2: `list disabled` across projects answers from the
// inventory): the last modifier and the dates a list reads, stored in a trailing field of each row so rows saved by
// the previous build (11 fields, no such field) still load.
import { describe, expect, it } from 'vitest';
import { disabledByKept, disabledByText } from '../../src/domain/disable';
import { listFromInventory } from '../../src/inventory/inventory-answers';
import { ConnectionInventory } from '../../src/inventory/connection-inventory';
import { INVENTORY_PARTS_COLLECTION } from '../../src/inventory/inventory-store';
import { EmbeddedStore } from '../../src/store/embedded-store';
import type { Store } from '../../src/store/store.port';
import { connection, project, recordingLogger, TestClock } from '../support/inventory-fixtures';

const DAY_MS = 86_400_000;
const ALPHA = project('Alpha');
const BOB = { id: 'b0b00000-0000-4000-8000-000000000001', displayName: 'Bob Keller', uniqueName: 'bob@contoso.com' };
const make = (store: Store, clock: TestClock) => new ConnectionInventory({ store, clock, logger: recordingLogger().logger, maxConnections: 1_000 });
const iso = (clock: TestClock, daysAgo: number) => new Date(clock.now().getTime() - daysAgo * DAY_MS).toISOString();

function disabledBy(clock: TestClock, createdDaysAgo: number, name = 'sc-old') {
  return connection(name, [ALPHA], { isDisabled: true, modifiedBy: BOB, modificationDate: iso(clock, 30), creationDate: iso(clock, createdDaysAgo) });
}

/** Rewrites every stored part of the inventory with each row cut to its first `fields` fields (an older build's rows). */
async function cutRows(store: Store, fields: number): Promise<void> {
  for (const part of await store.list<unknown[][]>(INVENTORY_PARTS_COLLECTION)) {
    await store.put(INVENTORY_PARTS_COLLECTION, part.key, part.value.map((row) => row.slice(0, fields)), part.version);
  }
}

const notes = (inv: ConnectionInventory, clock: TestClock) => listFromInventory(inv, ['Alpha'], 'disabled', clock.now()).rows.map((r) => `${r.name}: ${r.note}`);

describe('who disabled a connection, kept in the inventory', () => {
  it('keeps the last modifier and the dates of a disabled connection through the store, and only of disabled ones', async () => {
    const clock = new TestClock();
    const store = new EmbeddedStore();
    const first = make(store, clock);
    first.recordProjectList(ALPHA, [disabledBy(clock, 400), connection('sc-live', [ALPHA], { modifiedBy: BOB })], clock.now());
    await first.flush();
    const second = make(store, clock);
    expect(await second.load()).toBe(1);
    const kept = second.project('Alpha')?.entries.find((e) => e.name === 'sc-old');
    expect(kept?.disabledFacts).toEqual({ modifiedBy: 'Bob Keller', modifiedAt: Date.parse(iso(clock, 30)), createdAt: Date.parse(iso(clock, 400)) });
    expect(second.project('Alpha')?.entries.find((e) => e.name === 'sc-live')?.disabledFacts).toBeUndefined();
    expect(second.project('Alpha')).toEqual(first.project('Alpha'));
  });

  it('never claims the 100-day sweep without the newest run: old enough leaves it open, younger names the modifier', () => {
    const clock = new TestClock();
    const inv = make(new EmbeddedStore(), clock);
    inv.recordProjectList(ALPHA, [disabledBy(clock, 400), disabledBy(clock, 40, 'sc-young'), connection('sc-nobody', [ALPHA], { isDisabled: true })], clock.now());
    expect(notes(inv, clock)).toEqual([
      'sc-nobody: disabled (by whom is not known)',
      `sc-old: disabled by Bob Keller (last change ${iso(clock, 30).slice(0, 10)}) or by Azure DevOps if unused for 100 days (its runs were not read)`,
      `sc-young: disabled by Bob Keller (last change ${iso(clock, 30).slice(0, 10)})`,
    ]);
  });

  it('prefers what the audit log told of the disable over the last modifier', () => {
    const clock = new TestClock();
    const inv = make(new EmbeddedStore(), clock);
    const old = disabledBy(clock, 400);
    inv.recordProjectList(ALPHA, [old], clock.now());
    inv.noteChange({
      entryId: 'audit-1', at: clock.now().toISOString(), actionId: 'Library.ServiceConnectionPropertyChanged', action: 'disabled',
      connectionId: old.id, connectionName: 'sc-old', projectId: ALPHA.id, projectName: 'Alpha', actor: { kind: 'service', name: undefined }, portal: false,
    });
    expect(notes(inv, clock)).toEqual(['sc-old: disabled by Azure DevOps after 100 days without use, just now']);
  });

  it('a row saved by the previous build (11 fields: no failure, no who disabled) still loads, and says whom is not known', async () => {
    const clock = new TestClock();
    const store = new EmbeddedStore();
    const first = make(store, clock);
    first.recordProjectList(ALPHA, [disabledBy(clock, 400)], clock.now());
    await first.flush();
    await cutRows(store, 11);
    const second = make(store, clock);
    expect(await second.load()).toBe(1);
    const kept = second.project('Alpha')?.entries[0];
    expect(kept).toMatchObject({ name: 'sc-old', disabled: true, disabledFacts: undefined, failure: undefined });
    expect(notes(second, clock)).toEqual(['sc-old: disabled (by whom is not known)']);
    expect(disabledByText(disabledByKept(undefined, clock.now()))).toBe('disabled (by whom is not known)');
  });
});
