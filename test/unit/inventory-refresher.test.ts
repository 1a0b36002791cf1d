// The inventory's refresh: one in flight, shared by everyone who asks within the freshness window; and the upkeep
// step, which follows the audit log when it is readable and live, and otherwise relists the stalest projects at the
// pace a share of the rate budget allows.
import { describe, expect, it } from 'vitest';
import type { ChangeLogRead, ConnectionChangeLog } from '../../src/devops/connection-change-log.port';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import type { ListFilter } from '../../src/devops/service-endpoints.port';
import type { ConnectionChange } from '../../src/domain/connection-change';
import { AppError } from '../../src/domain/errors';
import { ConnectionInventory } from '../../src/inventory/connection-inventory';
import { InventoryFeed } from '../../src/inventory/inventory-feed';
import { InventoryRefresher } from '../../src/inventory/inventory-refresher';
import { INVENTORY_DEFAULTS, type InventorySettings } from '../../src/inventory/inventory-settings';
import { INVENTORY_COLLECTION } from '../../src/inventory/inventory-store';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { connection, project, recordingLogger, TestClock, type Project } from '../support/inventory-fixtures';

const MIN = 60_000;
const PROJECTS = Array.from({ length: 20 }, (_, i) => project(`P${String(i).padStart(2, '0')}`));

/** The in-memory service, counting calls; lists wait for `release()` when held. */
class CountingService extends InMemoryServiceEndpoints {
  calls = { projects: 0, lists: [] as string[] };
  refuse = new Set<string>();
  /** Runs at each list (a test moves its clock: a slow service). */
  onList: () => void = () => undefined;
  private held: Promise<void> | undefined;
  private open: (() => void) | undefined;

  hold(): void {
    this.held = new Promise((resolve) => { this.open = resolve; });
  }

  release(): void {
    this.open?.();
    this.held = undefined;
  }

  override async projects() {
    this.calls.projects += 1;
    return super.projects();
  }

  override async list(p: string, filter?: ListFilter) {
    this.calls.lists.push(p);
    this.onList();
    await this.held;
    if (this.refuse.has(p)) throw new AppError('DEVOPS.FORBIDDEN', 'no');
    return super.list(p, filter);
  }
}

class FakeChangeLog implements ConnectionChangeLog {
  reads = 0;
  constructor(public answer: () => ChangeLogRead) {}
  async changesBetween(): Promise<ChangeLogRead> {
    this.reads += 1;
    return this.answer();
  }
}

function setup(options: { settings?: Partial<InventorySettings>; configured?: string[]; changes?: ConnectionChangeLog; projects?: Project[] } = {}) {
  const projects = options.projects ?? PROJECTS;
  const clock = new TestClock();
  const store = new EmbeddedStore();
  const inventory = new ConnectionInventory({ store, clock, logger: recordingLogger().logger, maxConnections: 10_000 });
  const service = new CountingService(projects, projects.map((p) => connection(`sc-${p.name}`, [p])));
  const feed = new InventoryFeed(service, inventory, clock);
  const make = () => new InventoryRefresher({
    inventory, devops: feed, store, clock, logger: recordingLogger().logger,
    settings: { ...INVENTORY_DEFAULTS, ...options.settings }, projects: options.configured ?? [], ...(options.changes ? { changes: options.changes } : {}),
  });
  return { clock, inventory, service, refresher: make(), feed, store, restart: make };
}

const personChange = (projectId: string, connectionId: string): ConnectionChange => ({
  entryId: `e-${projectId}`, at: new Date(Date.parse('2026-09-01T09:59:00Z')).toISOString(), actionId: 'Library.ServiceConnectionForProjectModified', action: 'modified',
  connectionId, connectionName: 'sc', projectId, projectName: undefined, actor: { kind: 'person', name: 'Ivo' }, portal: true,
});

describe('InventoryRefresher.fresh', () => {
  it('ten askers at once share one refresh: the project list and one list per project', async () => {
    const { service, refresher, inventory } = setup();
    service.hold();
    const askers = Array.from({ length: 10 }, () => refresher.fresh());
    await Promise.resolve();
    service.release();
    const answers = await Promise.all(askers);
    expect(service.calls.projects).toBe(1);
    expect(service.calls.lists).toHaveLength(20);
    expect(new Set(answers.map((a) => (a.kind === 'refreshed' ? a.report : a)))).toHaveLength(1);
    expect(answers[0]).toMatchObject({ kind: 'refreshed', report: { calls: 21, listed: 20, failed: [] } });
    expect(inventory.connections).toBe(20);
  });

  it('answers at once, with no call, within the window; after it, refreshes again', async () => {
    const { service, refresher, clock } = setup();
    await refresher.fresh();
    clock.advance(INVENTORY_DEFAULTS.freshSeconds * 1000 - 1);
    expect(await refresher.fresh()).toEqual({ kind: 'fresh' });
    expect(await refresher.fresh(['P03'])).toEqual({ kind: 'fresh' });
    expect(service.calls.lists).toHaveLength(20);
    clock.advance(1);
    expect(refresher.isFresh()).toBe(false);
    await refresher.fresh();
    expect(service.calls).toMatchObject({ projects: 2 });
    expect(service.calls.lists).toHaveLength(40);
  });

  it('a refresh longer than the window is still one refresh for everyone asking during it and within the window after', async () => {
    const { service, refresher, clock } = setup({ settings: { freshSeconds: 10 } });
    service.onList = () => clock.advance(1_000);
    service.hold();
    const askers = Array.from({ length: 10 }, () => refresher.fresh());
    await Promise.resolve();
    service.release();
    await Promise.all(askers);
    expect(service.calls.lists).toHaveLength(20);
    expect(service.calls.projects).toBe(1);
    clock.advance(9_000);
    expect(await refresher.fresh()).toEqual({ kind: 'fresh' });
    expect(service.calls.lists).toHaveLength(20);
    expect(service.calls.projects).toBe(1);
    clock.advance(1_000);
    await refresher.fresh();
    expect(service.calls.lists).toHaveLength(40);
  });

  it('lists only the projects older than the window (a person\'s live list counts)', async () => {
    const { service, refresher, clock, feed } = setup();
    await refresher.fresh();
    clock.advance(INVENTORY_DEFAULTS.freshSeconds * 1000 + 1);
    const p00 = PROJECTS[0] as Project;
    await feed.list(p00.name, { includeFailed: true });
    service.calls.lists = [];
    await refresher.fresh();
    expect(service.calls.lists).toHaveLength(19);
    expect(service.calls.lists).not.toContain(p00.id);
  });

  it('a project whose list fails counts as tried for the window: askers do not call again and again', async () => {
    const { service, refresher } = setup();
    service.refuse.add((PROJECTS[5] as Project).id);
    const first = await refresher.fresh();
    expect(first).toMatchObject({ kind: 'refreshed', report: { listed: 19, failed: [(PROJECTS[5] as Project).id] } });
    expect(await refresher.fresh()).toEqual({ kind: 'fresh' });
    expect(service.calls.lists).toHaveLength(20);
  });

  it('with configured projects lists only those, reading the project list once to know them', async () => {
    const { service, refresher, inventory } = setup({ configured: ['P01', 'P02'] });
    await refresher.fresh();
    expect(service.calls.projects).toBe(1);
    expect(service.calls.lists.sort()).toEqual(['P01', 'P02']);
    expect(inventory.projects().map((p) => p.projectName).sort()).toEqual(['P01', 'P02']);
  });
});

describe('InventoryRefresher.step', () => {
  it('without an audit log, relists the stalest projects at the budget\'s pace (10 %: four a minute)', async () => {
    const { service, refresher, clock } = setup();
    await refresher.fresh();
    service.calls.lists = [];
    expect((await refresher.step()).listed).toBe(0);
    clock.advance(3 * MIN);
    const step = await refresher.step();
    expect(step).toMatchObject({ audit: 'off', listed: 12 });
    clock.advance(MIN);
    expect((await refresher.step()).listed).toBe(4);
    expect(new Set(service.calls.lists).size).toBe(16);
  });

  it('after a start, reads the project list first, then relists at the budget\'s pace', async () => {
    const { service, refresher, clock } = setup();
    clock.advance(MIN);
    expect(await refresher.step()).toMatchObject({ listed: 4, calls: 5 });
    expect(service.calls.projects).toBe(1);
    clock.advance(MIN);
    await refresher.step();
    expect(service.calls.projects).toBe(1);
  });

  it('with a live audit log, relists only the projects whose connections changed, and notes who changed them', async () => {
    const target = PROJECTS[7] as Project;
    const log = new FakeChangeLog(() => ({ kind: 'read', changes: [], entries: 3, complete: true, calls: 1 }));
    const { service, refresher, clock, inventory } = setup({ changes: log });
    await refresher.fresh();
    const id = inventory.lookup(`sc-${target.name}`)[0]?.entry.id ?? '';
    log.answer = () => ({ kind: 'read', changes: [personChange(target.id, id)], entries: 5, complete: true, calls: 1 });
    clock.advance(10 * MIN);
    service.calls.lists = [];
    const step = await refresher.step();
    expect(step).toMatchObject({ audit: 'live', changed: 1, listed: 1, calls: 2 });
    expect(service.calls.lists).toEqual([target.id]);
    expect(inventory.lookup(`sc-${target.name}`)[0]?.entry.change).toMatchObject({ by: 'person', name: 'Ivo' });
    // The next step within the audit interval asks the log nothing and lists nothing.
    clock.advance(MIN);
    expect(await refresher.step()).toMatchObject({ audit: 'live', calls: 0 });
    expect(log.reads).toBe(1);
  });

  it('a step that dies after reading the log and before listing leaves the cursor: the next start reads the changes again', async () => {
    const target = PROJECTS[3] as Project;
    const log = new FakeChangeLog(() => ({ kind: 'read', changes: [personChange(target.id, 'c')], entries: 2, complete: true, calls: 1 }));
    const { service, refresher, clock, store, restart } = setup({ changes: log });
    await refresher.fresh();
    clock.advance(10 * MIN);
    service.onList = () => { throw new Error('the process died here'); };
    await expect(refresher.step()).rejects.toThrow('the process died here');
    expect(await store.get(INVENTORY_COLLECTION, 'audit-cursor')).toBeUndefined();
    service.onList = () => undefined;
    service.calls.lists = [];
    clock.advance(MIN);
    expect(await restart().step()).toMatchObject({ audit: 'live', changed: 1 });
    expect(service.calls.lists).toEqual([target.id]);
    expect(await store.get(INVENTORY_COLLECTION, 'audit-cursor')).toBeDefined();
  });

  it('falls back to the periodic refresh when the log is forbidden, and asks it again only a day later', async () => {
    const log = new FakeChangeLog(() => ({ kind: 'unavailable', reason: 'forbidden' }));
    const { refresher, clock } = setup({ changes: log, settings: { auditMinutes: 1 } });
    await refresher.fresh();
    clock.advance(3 * MIN);
    expect(await refresher.step()).toMatchObject({ audit: 'forbidden', listed: 12 });
    clock.advance(3 * MIN);
    await refresher.step();
    expect(log.reads).toBe(1);
  });

  it('falls back when the log shows nothing at all (auditing off: not even its own reads)', async () => {
    const log = new FakeChangeLog(() => ({ kind: 'read', changes: [], entries: 0, complete: true, calls: 1 }));
    const { refresher, clock } = setup({ changes: log });
    await refresher.fresh();
    clock.advance(3 * MIN);
    expect(await refresher.step()).toMatchObject({ audit: 'silent', listed: 12 });
  });

  it('a window too busy to read in full is swept instead: lists older than it are relisted at the budget\'s pace', async () => {
    const log = new FakeChangeLog(() => ({ kind: 'read', changes: [], entries: 4000, complete: false, calls: 20 }));
    const { refresher, clock } = setup({ changes: log });
    await refresher.fresh();
    clock.advance(3 * MIN);
    expect(await refresher.step()).toMatchObject({ audit: 'live', listed: 12, calls: 32 });
  });
});
