/**
 * One measurement of bench/org-scale.ts, in a fresh process so one mode's heap never inflates the other's RSS and
 * the emulator (a thread of the parent) is in neither. Both modes run the whole bot (bench-app.ts: composeApp over
 * the emulator) and read every project once in the background lane. argv[2]:
 * - `without`: the bot as it is today: the lists are read and dropped (what `list failed` does).
 * - `with`: the same reads through the inventory (InventoryFeed → ConnectionInventory, stored on disk), kept; then,
 *   unless argv[3] is `rss`, what the inventory costs: a warm ask, answers from it, ten askers once the window
 *   passed, an audit-driven step after a person changed connections in five projects, and the periodic pace.
 * BENCH_ORG_URL: the emulator. Prints one JSON line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AzureDevOpsAuditLog, type DevOpsGet } from '../../src/devops/azure-devops-audit-log';
import { azureDevOpsLanes } from '../../src/devops/devops-lanes';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import { ConnectionInventory } from '../../src/inventory/connection-inventory';
import { listFromInventory, locateName } from '../../src/inventory/inventory-answers';
import { InventoryFeed } from '../../src/inventory/inventory-feed';
import { InventoryRefresher } from '../../src/inventory/inventory-refresher';
import { INVENTORY_DEFAULTS } from '../../src/inventory/inventory-settings';
import { INVENTORY_PARTS_COLLECTION } from '../../src/inventory/inventory-store';
import { createLogger } from '../../src/logging';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { systemClock } from '../../src/domain/time';
import { startBenchApp } from './bench-app';
import { BENCH_BOT_CLIENT_ID } from './emulator-thread';
import { sleep } from '../../src/domain/time';

const logger = createLogger({ level: 'silent' });
const clock = systemClock;
/**
 * A shorter freshness window than the default (120 s), so the bench lets it pass by waiting: calls do not depend on
 * its length, and the audit log's times must stay the emulator's (a clock run ahead would read a window in the future).
 */
const SETTINGS = { ...INVENTORY_DEFAULTS, freshSeconds: 15, auditMinutes: 1 };

/** Calls through a ServiceEndpoints (projects, lists, reads), counted. */
function counting(inner: ServiceEndpoints, counts: { calls: number }): ServiceEndpoints {
  return new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        counts.calls += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

async function settledMemory(): Promise<{ rss: number; heap: number }> {
  for (let i = 0; i < 3; i += 1) {
    global.gc?.();
    await sleep(50);
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - started) };
}

/** A person edits a connection in each of `count` projects through the REST API (another identity than the bot's). */
async function personEdits(orgUrl: string, inventory: ConnectionInventory, count: number): Promise<string[]> {
  const projects = inventory.projects().slice(0, count);
  for (const p of projects) {
    const entry = inventory.project(p.projectId)?.entries[1];
    if (!entry) continue;
    const url = `${orgUrl}/${p.projectId}/_apis/serviceendpoint/endpoints/${entry.id}?api-version=7.1`;
    const auth = { Authorization: 'Bearer a-person', 'Content-Type': 'application/json' };
    const current = await (await fetch(url, { headers: auth })).json() as Record<string, unknown>;
    await fetch(url, { method: 'PUT', headers: auth, body: JSON.stringify({ ...current, description: 'edited in the portal' }) });
  }
  return projects.map((p) => p.projectName);
}

async function withInventory(orgUrl: string, rssOnly: boolean): Promise<Record<string, unknown>> {
  const app = await startBenchApp(orgUrl, logger);
  const dir = await mkdtemp(path.join(tmpdir(), 'org-scale-'));
  const store = new EmbeddedStore({ dir });
  const inventory = new ConnectionInventory({ store, clock, logger, maxConnections: INVENTORY_DEFAULTS.maxConnections });
  try {
    const counts = { calls: 0 };
    const background = counting(azureDevOpsLanes(app.devops)('background').devops, counts);
    const feed = new InventoryFeed(background, inventory, clock);
    const auditGets: DevOpsGet = { rest: (op, method, p) => { counts.calls += 1; return app.devops.inLane('background').rest(op, method, p); } };
    const changes = new AzureDevOpsAuditLog({ devops: auditGets, self: { clientId: BENCH_BOT_CLIENT_ID }, clock });
    const refresher = new InventoryRefresher({ inventory, devops: feed, store, clock, logger, settings: SETTINGS, projects: [], changes });
    await app.devops.projects();
    global.gc?.();
    const before = process.memoryUsage().rss;
    const cold = await timed(() => refresher.fresh());
    await inventory.flush();
    const holding = await settledMemory();
    const figures: Record<string, unknown> = { before, holding, connections: inventory.connections, projects: inventory.projects().length, cold: { calls: counts.calls, ms: cold.ms }, stored: await storedFigures(store) };
    const names = inventory.projects().map((p) => p.projectId);
    const failed = await timed(async () => listFromInventory(inventory, names, 'failed', clock.now()));
    const located = await timed(async () => locateName(inventory, 'sc-0150-0007', []));
    figures.answers = { listFailedRows: failed.value.rows.length, listFailedMs: failed.ms, showFound: located.value.kind === 'known' ? located.value.matches.length : 0, showMs: located.ms };
    if (rssOnly) return figures;
    counts.calls = 0;
    const warm = await timed(() => refresher.fresh());
    figures.warm = { answer: warm.value.kind, calls: counts.calls, ms: warm.ms };
    await sleep(SETTINGS.freshSeconds * 1000 + 100);
    counts.calls = 0;
    const askers = await timed(() => Promise.all(Array.from({ length: 10 }, () => refresher.fresh())));
    figures.tenAskers = { calls: counts.calls, ms: askers.ms, refreshes: new Set(askers.value.map((a) => (a.kind === 'refreshed' ? a.report : undefined))).size };
    figures.audit = await auditStep(orgUrl, inventory, refresher, counts);
    figures.periodic = await periodicPace(app.devops, inventory, store);
    return figures;
  } finally {
    await inventory.flush();
    store.close();
    await app.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A person edits connections in five projects; the next step reads the audit log and relists those projects only. */
async function auditStep(orgUrl: string, inventory: ConnectionInventory, refresher: InventoryRefresher, counts: { calls: number }): Promise<Record<string, unknown>> {
  const edited = await personEdits(orgUrl, inventory, 5);
  counts.calls = 0;
  const step = await timed(() => refresher.step());
  return { edited: edited.length, audit: step.value.audit, changed: step.value.changed, listed: step.value.listed, calls: counts.calls, ms: step.ms };
}

/**
 * Without an audit log: what one step lists a minute after the refresher started, at the default share (10 %). Its
 * clock is a minute ahead rather than waited for (no audit log is read, so no time of the emulator's is compared).
 */
async function periodicPace(devops: Parameters<typeof azureDevOpsLanes>[0], inventory: ConnectionInventory, store: EmbeddedStore): Promise<Record<string, unknown>> {
  let ahead = 0;
  const later = { now: () => new Date(Date.now() + ahead) };
  const refresher = new InventoryRefresher({ inventory, devops: new InventoryFeed(azureDevOpsLanes(devops)('background').devops, inventory, later), store, clock: later, logger, settings: SETTINGS, projects: [] });
  ahead = 60_000;
  const step = await refresher.step();
  return { listedAfterAMinute: step.listed, sharePercent: INVENTORY_DEFAULTS.refreshSharePercent };
}

async function storedFigures(store: EmbeddedStore): Promise<Record<string, number>> {
  const parts = await store.list<unknown[]>(INVENTORY_PARTS_COLLECTION);
  const sizes = parts.map((p) => JSON.stringify(p.value).length);
  return { parts: parts.length, largestPartChars: Math.max(0, ...sizes), totalChars: sizes.reduce((a, b) => a + b, 0) };
}

async function without(orgUrl: string): Promise<Record<string, unknown>> {
  const app = await startBenchApp(orgUrl, logger);
  try {
    const background = azureDevOpsLanes(app.devops)('background').devops;
    const projects = await app.devops.projects();
    global.gc?.();
    const before = process.memoryUsage().rss;
    let listed = 0;
    const started = performance.now();
    // As the refresh reads them: eight at a time in the background lane, nothing kept.
    for (let i = 0; i < projects.length; i += 8) {
      const batch = await Promise.all(projects.slice(i, i + 8).map((p) => background.list(p.id, { includeFailed: true })));
      listed += batch.reduce((n, b) => n + b.length, 0);
    }
    const ms = Math.round(performance.now() - started);
    return { before, holding: await settledMemory(), connections: listed, projects: projects.length, ms };
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const orgUrl = process.env.BENCH_ORG_URL ?? '';
  const result = process.argv[2] === 'with' ? await withInventory(orgUrl, process.argv[3] === 'rss') : await without(orgUrl);
  console.log(JSON.stringify({ mode: process.argv[2], ...result, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
