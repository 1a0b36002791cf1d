// The inventory as the app runs it: one instance at a time keeps it up (a lease held across ticks), the others take
// in what it stored; a restart starts warm; a save killed half-way leaves parts the retention sweep removes; the
// radar says who changed a failed or disabled connection outside the bot; a card's fresh answer replaces it in place.
import { describe, expect, it } from 'vitest';
import { AlertScanner } from '../../src/alerts/scanner';
import type { CardMessage } from '../../src/cards/card';
import type { CardLocation } from '../../src/domain/approval';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import { AppError } from '../../src/domain/errors';
import { INVENTORY_COLLECTION, INVENTORY_PARTS_COLLECTION } from '../../src/inventory/inventory-store';
import { createInventory } from '../../src/inventory/org-inventory';
import { UPKEEP_LEASE } from '../../src/inventory/inventory-keeper';
import { ReplyUpdates } from '../../src/notify/reply-updates';
import { StorePlanRepository } from '../../src/plans/store-plan-repository';
import { RetentionSweeper } from '../../src/retention/retention-sweeper';
import { RETENTION_DEFAULTS } from '../../src/retention/retention-settings';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { RUN_LEASES } from '../../src/store/run-lease';
import type { Store } from '../../src/store/store.port';
import { StoreUnavailableError } from '../../src/store/azure-table-store';
import { connection, project, recordingLogger, TestClock } from '../support/inventory-fixtures';

const MIN = 60_000;
const ALPHA = project('Alpha');
const BETA = project('Beta');

/** One bot instance over a shared store and service: its inventory, refresher and keeper (ticked by hand). */
function instance(owner: string, store: Store, service: InMemoryServiceEndpoints, clock: TestClock) {
  const { logger, lines } = recordingLogger();
  const parts = createInventory({ store, clock, logger, projects: [], background: service, interactive: service, owner, repeat: () => () => undefined });
  return { ...parts, lines };
}

/** The embedded store, whose writes to one collection never happen nor answer: the process was killed making them. */
class DyingStore extends EmbeddedStore {
  dying: string | undefined;
  override async put<T>(collection: string, key: string, value: T, expectedVersion?: string) {
    if (collection === this.dying) return new Promise<never>(() => undefined);
    return super.put(collection, key, value, expectedVersion);
  }
}

describe('the inventory\'s upkeep across instances', () => {
  it('one instance steps (it holds the lease from tick to tick), the other takes in what it stored', async () => {
    const clock = new TestClock();
    const store = new EmbeddedStore();
    const service = new InMemoryServiceEndpoints([ALPHA, BETA], [connection('sc-a', [ALPHA]), connection('sc-b', [BETA])]);
    const a = instance('a', store, service, clock);
    const b = instance('b', store, service, clock);
    clock.advance(30 * MIN);
    expect(await a.keeper.tick()).toBe('stepped');
    expect(await b.keeper.tick()).toBe('synced');
    await a.inventory.flush();
    clock.advance(MIN);
    expect(await a.keeper.tick()).toBe('stepped');
    expect(await b.keeper.tick()).toBe('synced');
    expect(b.inventory.lookup('sc-b').map((m) => m.projectName)).toEqual(['Beta']);
    expect((await store.get<{ owner: string }>(RUN_LEASES, UPKEEP_LEASE))?.value.owner).toBe('a');
  });

  it('a holder that closes hands the upkeep over at once; one that dies, once its lease lapses (three ticks)', async () => {
    const clock = new TestClock();
    const store = new EmbeddedStore();
    const service = new InMemoryServiceEndpoints([ALPHA], [connection('sc-a', [ALPHA])]);
    const a = instance('a', store, service, clock);
    const b = instance('b', store, service, clock);
    const c = instance('c', store, service, clock);
    expect(await a.keeper.tick()).toBe('stepped');
    await a.keeper.close();
    expect(await b.keeper.tick()).toBe('stepped');
    // b dies (its ticks stop): c takes over only once b's lease lapsed.
    clock.advance(2 * MIN);
    expect(await c.keeper.tick()).toBe('synced');
    clock.advance(MIN);
    expect(await c.keeper.tick()).toBe('stepped');
  });

  it('a restarted instance starts warm: what the last one stored is loaded before the first question', async () => {
    const clock = new TestClock();
    const store = new EmbeddedStore();
    const service = new InMemoryServiceEndpoints([ALPHA, BETA], [connection('sc-a', [ALPHA]), connection('sc-b', [BETA])]);
    const first = instance('a', store, service, clock);
    await first.reads.fresh();
    await first.keeper.close();
    const restarted = instance('a2', store, service, clock);
    await restarted.keeper.load();
    expect(restarted.inventory.connections).toBe(2);
    expect(restarted.inventory.lookup('sc-a').map((m) => m.projectName)).toEqual(['Alpha']);
    expect(restarted.lines.join('')).toContain('inventory loaded');
  });

  it('a store that cannot be read at start leaves the inventory cold and says so', async () => {
    const store = new EmbeddedStore();
    store.list = async () => { throw new StoreUnavailableError('Azure Table storage read failed: HTTP 503, ServerBusy', 503, 'ServerBusy'); };
    const cold = instance('a', store, new InMemoryServiceEndpoints([ALPHA], []), new TestClock());
    await cold.keeper.load();
    expect(cold.inventory.connections).toBe(0);
    expect(cold.lines.join('')).toContain('starting cold');
  });

  it('an upkeep whose store fails is logged and tried again next tick, never thrown at the timer', async () => {
    const store = new EmbeddedStore();
    const service = new InMemoryServiceEndpoints([ALPHA], []);
    const a = instance('a', store, service, new TestClock());
    store.get = async () => { throw new StoreUnavailableError('Azure Table storage read failed: HTTP 503, ServerBusy', 503, 'ServerBusy'); };
    expect(await a.keeper.tick()).toBe('failed');
    expect(a.lines.join('')).toContain('inventory upkeep failed');
  });
});

describe('the inventory in the store: a save killed half-way', () => {
  it('leaves parts no header names, which the retention sweep removes on its second pass; the lists kept stay whole', async () => {
    const clock = new TestClock();
    const store = new DyingStore();
    const service = new InMemoryServiceEndpoints([ALPHA, BETA], [connection('sc-a', [ALPHA]), connection('sc-b', [BETA])]);
    const a = instance('a', store, service, clock);
    await a.reads.fresh();
    await a.inventory.flush();
    const kept = (await store.keys(INVENTORY_PARTS_COLLECTION)).sort();
    // A newer list of Alpha: its parts are written, then the process dies writing the header.
    store.dying = INVENTORY_COLLECTION;
    clock.advance(5 * MIN);
    await service.create(connection('sc-a2', [ALPHA]));
    void a.inventory.flush();
    await a.refresher.fresh();
    await expect.poll(async () => (await store.keys(INVENTORY_PARTS_COLLECTION)).length).toBeGreaterThan(kept.length);
    store.dying = undefined;
    const sweeper = new RetentionSweeper({ store, plans: new StorePlanRepository(store), clock, settings: RETENTION_DEFAULTS, logger: { info: () => undefined, warn: () => undefined } });
    expect(await sweeper.sweep()).toMatchObject({ orphanParts: 0 });
    expect((await sweeper.sweep()).orphanParts).toBeGreaterThan(0);
    expect((await store.keys(INVENTORY_PARTS_COLLECTION)).sort()).toEqual(kept);
    const restarted = instance('b', store, service, clock);
    await restarted.keeper.load();
    expect(restarted.inventory.lookup('sc-a').map((m) => m.projectName)).toEqual(['Alpha']);
  });
});

describe('the radar and the inventory\'s notes', () => {
  it('a disabled connection\'s alert says who disabled it outside the bot, first', async () => {
    const clock = new TestClock();
    const off = { ...connection('sc-off', [ALPHA]), isDisabled: true };
    const at = clock.now().getTime() - 2 * 3_600_000;
    const scanner = new AlertScanner({
      devops: new InMemoryServiceEndpoints([ALPHA], [off, connection('sc-on', [ALPHA])]), clock, projects: ['Alpha'],
      outsideChange: (id) => (id === off.id ? { action: 'disabled', by: 'person', name: 'Ivo Petrov', at, portal: true } : undefined),
    });
    const findings = (await scanner.scan()).findings.filter((f) => f.kind === 'disabled');
    expect(findings.map((f) => f.detail)).toEqual([expect.stringMatching(/^Disabled by Ivo Petrov in the portal, 2 h ago\. Disabled: pipelines/)]);
  });
});

describe('cards replaced by their fresh answer', () => {
  const card: CardLocation = { activityId: 'act-1', conversation: { conversation: { id: 'c-1' } } };
  const message: CardMessage = { text: 'fresh', view: { template: 'message', model: {} } };

  it('replaces the card when the fresh answer comes, not when it says the card stands', async () => {
    const updated: Array<[CardLocation, CardMessage]> = [];
    const updates = new ReplyUpdates({ update: async (at, m) => void updated.push([at, m]) }, recordingLogger().logger);
    updates.follow(card, Promise.resolve(message));
    updates.follow(card, Promise.resolve(undefined));
    await updates.idle();
    expect(updated).toEqual([[card, message]]);
  });

  it('a card Teams refuses to update keeps its first answer; the refusal is logged, never thrown', async () => {
    const { logger, lines } = recordingLogger();
    const updates = new ReplyUpdates({ update: async () => { throw new AppError('TEAMS.REFUSED', 'the Bot Connector answered 403', { status: 403 }); } }, logger);
    updates.follow(card, Promise.resolve(message));
    await updates.idle();
    expect(lines.join('')).toContain('a card could not be updated with the fresh answer');
  });
});
