/**
 * The commands people type at organization scale (bench/org-scale.ts, issue 24), through the whole bot: POST
 * /api/messages in, the connector stand-in recording each answer and the card's later replacement, every call the
 * DevOps emulator served counted. Four moments:
 * - cold: a bot whose store is empty (no inventory yet), which does what it did before the inventory: the baseline
 *   the other moments are compared with, measured in the same run;
 * - warm: the bot that answered the cold `list failed`, within the freshness window;
 * - stale: the window passed (the app's clock is run ahead, so nothing waits) and a person renamed a failed
 *   connection in the portal: the first answer from the inventory with its age, then the card replaced in place;
 * - ten people asking `list failed` at once after the window passed again (and another rename): one refresh.
 * The upkeep's timer is off (the child measures its cost), so every call counted here is a command's.
 */
import { performance } from 'node:perf_hooks';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import type { Clock } from '../../src/domain/time';
import { INVENTORY_DEFAULTS } from '../../src/inventory/inventory-settings';
import { createLogger } from '../../src/logging';
import { startBenchApp, type BenchApp } from './bench-app';
import type { ServedCounts, ThreadedEmulator } from './emulator-thread';
import { turn, type Speaker } from './turns';

export const SHOW_NAME = 'sc-0150-0007';
/**
 * A failed connection of the org seed (every project's `-0003`), renamed in the portal before the stale and the ten
 * asks: in the last projects, which the refresh reads last, so the first answers (from the inventory, while the
 * refresh is under way) still show the old name and the fresh one replaces them.
 */
const renamedIn = (project: number) => `sc-${String(project).padStart(4, '0')}-0003`;
const ASKERS = 10;
const UPDATE_TIMEOUT_MS = 60_000;

export interface Figure { calls: number; ms: number }
/** An answer from the inventory: the first card, then its replacement once the refresh read every project. */
export interface TwoAnswers { first: Figure; fresh: Figure }
export interface OrgCommands {
  cold: { listFailed: Figure; show: Figure; listInProject: Figure };
  warm: { listFailed: Figure; show: Figure };
  stale: { show: Figure; listFailed: TwoAnswers };
  /** `firstMs`/`freshMs`: the slowest of the ten; `listsPerProject`: 1 means the ten shared one refresh. */
  tenAskers: { firstMs: number; freshMs: number; calls: number; listsPerProject: number };
}

const total = (served: ServedCounts) => Object.values(served).reduce((a, b) => a + b, 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The app's clock, which the bench moves past the freshness window instead of waiting it out. */
class AheadClock implements Clock {
  private aheadMs = 0;
  now(): Date {
    return new Date(Date.now() + this.aheadMs);
  }
  passWindow(): void {
    this.aheadMs += (INVENTORY_DEFAULTS.freshSeconds + 1) * 1000;
  }
}

export async function orgCommands(emulator: ThreadedEmulator, projects: number): Promise<OrgCommands> {
  const connector = new ConnectorStandIn({ rateLimits: false });
  await connector.start();
  try {
    const ask = (app: BenchApp, text: string, who?: Speaker) => measured(emulator, () => turn(app.botEndpoint, connector.serviceUrl, text, who));
    const cold = await withApp(emulator, new AheadClock(), async (app) => ({ show: await ask(app, `show ${SHOW_NAME}`), listInProject: await ask(app, 'list all in Proj-0042') }));
    const clock = new AheadClock();
    return await withApp(emulator, clock, async (app) => {
      const listFailed = await ask(app, 'list failed');
      const warm = { listFailed: await ask(app, 'list failed'), show: await ask(app, `show ${SHOW_NAME}`) };
      clock.passWindow();
      const staleShow = await ask(app, `show ${SHOW_NAME}`);
      const stale = { show: staleShow, listFailed: await oneAsker(emulator, connector, app, renamedIn(projects - 1)) };
      clock.passWindow();
      const tenAskers = await tenAsk(emulator, connector, app, renamedIn(projects - 2), projects);
      return { cold: { listFailed, ...cold }, warm, stale, tenAskers };
    });
  } finally {
    await connector.close();
  }
}

async function withApp<T>(emulator: ThreadedEmulator, clock: Clock, work: (app: BenchApp) => Promise<T>): Promise<T> {
  const app = await startBenchApp(emulator.orgUrl, createLogger({ level: 'silent' }), {}, { clock, tuning: { inventoryRepeat: () => () => undefined } });
  try {
    await emulator.served();
    return await work(app);
  } finally {
    await app.close();
  }
}

/** One turn timed to its answer, with the calls served meanwhile (the emulator's count, retries included). */
async function measured(emulator: ThreadedEmulator, work: () => Promise<number>): Promise<Figure> {
  await emulator.served();
  const ms = await work();
  return { ms: Math.round(ms), calls: total(await emulator.served()) };
}

/** A person renames a connection in the portal (the REST API under another identity than the bot's). */
async function renameInPortal(emulator: ThreadedEmulator, app: BenchApp, name: string): Promise<void> {
  const where = app.inventory.reads.view.lookup(name)[0];
  if (!where) throw new Error(`org-scale: the inventory holds no connection named ${name}`);
  const url = `${emulator.orgUrl}/${where.projectId}/_apis/serviceendpoint/endpoints/${where.entry.id}?api-version=7.1`;
  const headers = { Authorization: 'Bearer a-person', 'Content-Type': 'application/json' };
  const current = await (await fetch(url, { headers })).json() as { serviceEndpointProjectReferences: Array<Record<string, unknown>> };
  const renamed = `${name}-renamed`;
  const references = current.serviceEndpointProjectReferences.map((r) => ({ ...r, name: renamed }));
  const put = await fetch(url, { method: 'PUT', headers, body: JSON.stringify({ ...current, name: renamed, serviceEndpointProjectReferences: references }) });
  if (!put.ok) throw new Error(`org-scale: renaming ${name} in the emulator answered HTTP ${put.status}`);
  await emulator.served();
}

/** Milliseconds from `started` until the card in that conversation was replaced; throws when it never is. */
async function replaced(connector: ConnectorStandIn, conversationId: string, started: number): Promise<number> {
  while (!connector.calls.some((c) => c.kind === 'update' && c.conversationId === conversationId)) {
    if (performance.now() - started > UPDATE_TIMEOUT_MS) throw new Error(`org-scale: no fresh answer replaced the card in ${conversationId}`);
    await sleep(5);
  }
  return Math.round(performance.now() - started);
}

const speaker = (i: number): Speaker => ({ conversationId: `org-scale-${i}`, userId: `bench-user-${i}` });

/** `list failed` once the window passed: the first answer and the fresh one, which replaces the card. */
async function oneAsker(emulator: ThreadedEmulator, connector: ConnectorStandIn, app: BenchApp, rename: string): Promise<TwoAnswers> {
  await renameInPortal(emulator, app, rename);
  const who = speaker(0);
  const started = performance.now();
  const first = await measured(emulator, () => turn(app.botEndpoint, connector.serviceUrl, 'list failed', who));
  const freshMs = await replaced(connector, who.conversationId, started);
  const calls = first.calls + total(await emulator.served());
  return { first, fresh: { ms: freshMs, calls } };
}

/** Ten people in ten conversations ask `list failed` at once: every card answered, then every card replaced. */
async function tenAsk(emulator: ThreadedEmulator, connector: ConnectorStandIn, app: BenchApp, rename: string, projects: number): Promise<OrgCommands['tenAskers']> {
  await renameInPortal(emulator, app, rename);
  const people = Array.from({ length: ASKERS }, (_, i) => speaker(i + 1));
  const started = performance.now();
  const firsts = await Promise.all(people.map((who) => turn(app.botEndpoint, connector.serviceUrl, 'list failed', who)));
  const fresh = await Promise.all(people.map((who) => replaced(connector, who.conversationId, started)));
  const served = await emulator.served();
  return {
    firstMs: Math.round(Math.max(...firsts)), freshMs: Math.max(...fresh), calls: total(served),
    listsPerProject: Number(((served.serviceendpoint ?? 0) / projects).toFixed(2)),
  };
}
