import { describe, expect, it } from 'vitest';
import { ManualClock } from '@scbot/stand-ins/test-kit';
import { AlertStore, POSTED, POSTED_PARTS, SCAN_PARTS, SCANS } from '../../src/alerts/alert-store';
import { AlertRadar, type AlertSettings, type FindingsScanner } from '../../src/alerts/radar';
import type { ScanResult } from '../../src/alerts/scanner';
import { DEFAULT_THRESHOLDS, type Finding } from '../../src/domain/findings';
import { createLogger } from '../../src/logging';
import type { ConversationAddress, Notifier } from '../../src/notify/notifier.port';
import { RetentionSweeper, RETENTION_DEFAULTS } from '../../src/retention/retention-sweeper';
import { StorePlanRepository } from '../../src/plans/store-plan-repository';
import { StoreUnavailableError } from '../../src/store/azure-table-store';
import { EmbeddedStore } from '../../src/store/embedded-store';
import type { Store } from '../../src/store/store.port';
import { PART_BUDGET } from '../../src/store/record-parts';
import { findingOf, KINDS } from './alert-fixture';

/**
 * Issue 20, finding 4: the radar's records in parts, and what happens when one cannot be saved. What was posted
 * is recorded right after each post; a save the store refuses stops that conversation and is kept in memory, so
 * the next scan records it first and posts nothing again; a save that dies half-way posts at most the one card
 * in flight again, and leaves parts the retention sweep removes.
 */
const SETTINGS: AlertSettings = { intervalMinutes: 60, reminderHours: 24, digestOver: 3, thresholds: { ...DEFAULT_THRESHOLDS }, checkUnused: false, projects: [] };
const logger = createLogger({ level: 'silent' });
const many = (count: number, from = 0): Finding[] => Array.from({ length: count }, (_, i) => findingOf(KINDS[(from + i) % KINDS.length] ?? 'failed', from + i));

/** The embedded store, with writes to one collection failing (the store down) or dying (the process) on demand. */
class FlakyStore extends EmbeddedStore {
  failing: string | undefined;
  /** Writes to this collection never happen nor answer: the process was killed while making them. */
  dying: string | undefined;
  died = false;

  override async put<T>(collection: string, key: string, value: T, expectedVersion?: string) {
    if (collection === this.failing) throw new StoreUnavailableError(`Azure Table storage write of ${collection}/${key} failed: HTTP 503, ServerBusy`, 503, 'ServerBusy');
    if (collection === this.dying) {
      this.died = true;
      return new Promise<never>(() => undefined);
    }
    return super.put(collection, key, value, expectedVersion);
  }
}

class Scanner implements FindingsScanner {
  findings: Finding[] = [];
  async scan(): Promise<ScanResult> {
    return { findings: [...this.findings], gaps: { projects: [], secretsOf: [], historyOf: [] }, stats: { calls: { devopsProjects: 1, devopsList: 1, devopsHistory: 0, graph: 0 }, connections: this.findings.length, notes: [] } };
  }
}

class Posts implements Notifier {
  readonly texts: string[] = [];
  async post(_to: ConversationAddress, message: { text: string }): Promise<void> {
    this.texts.push(message.text);
  }
  async update(): Promise<void> {}
}

function setUp() {
  const store = new FlakyStore();
  const clock = new ManualClock('2026-11-22T06:00:00.000Z');
  const scanner = new Scanner();
  const posts = new Posts();
  const radar = new AlertRadar({ scanner, store, clock, logger, settings: SETTINGS, notifier: posts, owner: 'a', repeat: () => () => undefined });
  return { store, clock, scanner, posts, radar };
}

const subscription = { conversationId: 'ops', reference: { conversation: { id: 'ops' } }, subscribedBy: { name: 'Dana' }, subscribedAt: '2026-11-22T05:00:00.000Z' };

describe('the radar\'s records when a save fails', () => {
  it('a posted digest the store will not record: the scan is still recorded, and the next scan posts nothing again', async () => {
    const { store, clock, scanner, posts, radar } = setUp();
    await radar.subscribe(subscription);
    scanner.findings = many(1_600);
    store.failing = POSTED_PARTS;
    expect(await radar.runNow()).toMatchObject({ kind: 'scanned', findings: 1_600, posts: 1, failedPosts: 1 });
    expect(posts.texts).toHaveLength(1);
    expect((await radar.status('ops')).lastScan).toMatchObject({ ok: true, delivered: { posts: 1, failedPosts: 1 } });

    // Still failing: nothing more is posted there (it could not be recorded either).
    scanner.findings = many(1_601);
    clock.advance(61 * 60_000);
    expect(await radar.runIfDue()).toMatchObject({ kind: 'scanned', posts: 0, failedPosts: 1 });

    // The store is back: what was posted is recorded first, then only the one new finding goes out.
    store.failing = undefined;
    clock.advance(61 * 60_000);
    expect(await radar.runIfDue()).toMatchObject({ kind: 'scanned', posts: 1, failedPosts: 0 });
    expect(posts.texts).toHaveLength(2);
    expect(Object.keys((await new AlertStore(store).posted('ops'))?.value ?? {})).toHaveLength(1_601);
    clock.advance(61 * 60_000);
    expect(await radar.runIfDue()).toMatchObject({ kind: 'scanned', posts: 0, failedPosts: 0 });
  });

  it('a save that dies half-way (parts written, header not): one card is posted again, no more, and its parts are swept', async () => {
    const { store, clock, scanner, posts, radar } = setUp();
    await radar.subscribe(subscription);
    scanner.findings = many(2);
    await radar.runNow();
    expect(posts.texts).toHaveLength(2);
    // Three new findings (one card each): the process dies while recording the first.
    scanner.findings = many(5);
    store.dying = POSTED;
    clock.advance(61 * 60_000);
    void radar.runIfDue();
    await expect.poll(() => store.died).toBe(true);
    expect(posts.texts).toHaveLength(3);
    const orphans = (await store.keys(POSTED_PARTS)).length;
    store.dying = undefined;
    // A restarted instance: the card in flight goes out again, then the two that never did.
    const restarted = new AlertRadar({ scanner, store, clock, logger, settings: SETTINGS, notifier: posts, owner: 'b', repeat: () => () => undefined });
    clock.advance(61 * 60_000);
    expect(await restarted.runIfDue()).toMatchObject({ kind: 'scanned', posts: 3 });
    expect(posts.texts).toHaveLength(6);
    // The card in flight, again; then the other two new findings, each once.
    expect(posts.texts[3]).toBe(posts.texts[2]);
    expect(new Set(posts.texts).size).toBe(5);
    // What the dead save left is removed by the second sweep that finds it; the live record is kept.
    const sweeper = new RetentionSweeper({ store, plans: new StorePlanRepository(store), clock, settings: RETENTION_DEFAULTS, logger });
    expect(orphans).toBeGreaterThan(0);
    expect(await sweeper.sweep()).toMatchObject({ orphanParts: 0 });
    expect((await sweeper.sweep()).orphanParts).toBeGreaterThan(0);
    expect(Object.keys((await new AlertStore(store).posted('ops'))?.value ?? {})).toHaveLength(5);
  });
});

describe('the radar\'s records in parts', () => {
  it('reads records saved whole before they were split, and replaces them with parts', async () => {
    const store = new EmbeddedStore();
    const findings = many(3);
    const posted = Object.fromEntries(findings.map((f) => [f.key, { finding: f, postedAt: '2026-11-21T06:00:00.000Z' }]));
    await store.put(POSTED, 'ops', posted);
    await store.put(SCANS, 'last', { startedAt: '2026-11-21T06:00:00.000Z', finishedAt: '2026-11-21T06:00:01.000Z', ok: true, findings });
    const alerts = new AlertStore(store);
    const read = await alerts.posted('ops');
    expect(read?.value).toEqual(posted);
    expect((await alerts.lastScan())?.findings).toEqual(findings);
    expect(await alerts.lastScanStart()).toBe('2026-11-21T06:00:00.000Z');
    await alerts.savePosted('ops', posted, read?.version);
    expect((await alerts.posted('ops'))?.value).toEqual(posted);
    expect(await store.keys(POSTED_PARTS)).toHaveLength(1);
  });

  it('a scan that could read little (a note and a gap per app and connection) is kept in parts and read back whole', async () => {
    const store = new EmbeddedStore();
    const alerts = new AlertStore(store);
    const ids = Array.from({ length: 6_000 }, (_, i) => `e0000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const record = {
      startedAt: '2026-11-22T06:00:00.000Z', finishedAt: '2026-11-22T06:09:00.000Z', ok: true, findings: many(2_000),
      stats: { calls: { devopsProjects: 1, devopsList: 40, devopsHistory: 1_000, graph: 6_000 }, connections: 10_000, budget: 8_000, carried: { history: 3_808, graph: 0 }, notes: ids.map((subject) => ({ code: 'GRAPH.FORBIDDEN', subject, read: 'graph' as const })) },
      gaps: { projects: ['Data Science'], secretsOf: ids, historyOf: ids.slice(0, 3_808), openAccessOf: [] },
      delivered: { conversations: 3, posts: 4, failedPosts: 0 },
    };
    expect(await alerts.saveScan(record, undefined)).toBe(true);
    expect(await alerts.lastScan()).toEqual(record);
    expect(JSON.stringify((await store.get(SCANS, 'last'))?.value).length).toBeLessThan(2_000);
    for (const { value } of await store.list(SCAN_PARTS)) expect(JSON.stringify(value).length).toBeLessThanOrEqual(PART_BUDGET + 200);
  });

  it('unsubscribing removes what was posted there, parts included', async () => {
    const store = new EmbeddedStore();
    const alerts = new AlertStore(store);
    await alerts.subscribe(subscription);
    const posted = Object.fromEntries(many(400).map((f) => [f.key, { finding: f, postedAt: '2026-11-21T06:00:00.000Z' }]));
    await alerts.savePosted('ops', posted, undefined);
    expect((await store.keys(POSTED_PARTS)).length).toBeGreaterThan(1);
    await alerts.unsubscribe('ops');
    expect(await store.keys(POSTED)).toEqual([]);
    expect(await store.keys(POSTED_PARTS)).toEqual([]);
  });

  it('a scan saved over a lost lease leaves the newer scan and no parts of its own', async () => {
    const store: Store = new EmbeddedStore();
    const alerts = new AlertStore(store);
    const record = { startedAt: '2026-11-22T06:00:00.000Z', finishedAt: '2026-11-22T06:00:01.000Z', ok: true, findings: many(300) };
    expect(await alerts.saveScan(record, undefined)).toBe(true);
    const ours = await alerts.lastScanVersioned();
    expect(await alerts.saveScan({ ...record, startedAt: '2026-11-22T07:00:00.000Z' }, ours?.version)).toBe(true);
    expect(await alerts.saveScan({ ...record, startedAt: '2026-11-22T06:30:00.000Z' }, ours?.version)).toBe(false);
    expect(await alerts.lastScanStart()).toBe('2026-11-22T07:00:00.000Z');
    expect(new Set((await store.keys(SCAN_PARTS)).map((k) => k.split('/')[1])).size).toBe(1);
  });
});
