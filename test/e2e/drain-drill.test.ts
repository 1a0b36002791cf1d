/**
 * The drain with real processes and a real SIGTERM (issue 23 §6), as a platform stops a container on every deploy
 * and scale-in. The organization (30 convertible connections, 40 ms per request) runs in its own process
 * (`npm run cloud`); the bot is `npm start -- --cloud <descriptor>` with production defaults (15 s leases).
 *  - SIGTERM mid-way through `convert all`, restart 1 s later, on the embedded store and on Azure Tables (Azurite):
 *    the bot exits 0 having finished its steps in flight and left no lease behind; the restarted bot's start-up
 *    resume takes the run (a held lease would have left it to a sweep once the lease lapsed); one PUT each.
 *  - Two instances on Azurite: the other one's sweep takes the run over before the drained lease would have
 *    expired — measured against that lease's own expiry, read from the store right before the SIGTERM.
 */
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ITEMS_COLLECTION } from '../../src/execution/item-states';
import type { ItemState } from '../../src/execution/run-report';
import { DirectoryRecords } from '../../src/store/embedded-records';
import { RUN_LEASES, type RunLeaseRecord } from '../../src/store/run-lease';
import { createStore } from '../../src/store/store-factory';
import { logRecords, startDrillBot, type DrillBot } from '../support/crash-drill';
import { drillCloud, drillStage, putsPerConnection, type DrillCloud } from '../support/drill-stage';
import { ask, lastCardUpdate, tap } from '../support/drive-bot';

const CONNECTIONS = Array.from({ length: 30 }, (_, i) => i + 1);
/** One approver is enough for 30 connections; two at a time; JSON logs the test reads. */
const BOT_ENV = { SCBOT_TWO_APPROVERS_OVER: '100', EXECUTOR_CONCURRENCY: '2', LOG_LEVEL: 'info', LOG_FORMAT: 'json' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const stage = drillStage();
const { processes } = stage;

/** A store as the bots configure it, read from the side (the embedded one's files, without taking its lock). */
interface Peek {
  env: Record<string, string>;
  get<T>(collection: string, key: string): Promise<T | undefined>;
  items(planId: string): Promise<ItemState[]>;
}

function embedded(dir: string): Peek {
  const stateDir = path.join(dir, 'state');
  const records = new DirectoryRecords(path.resolve(stateDir));
  return {
    env: { SCBOT_STATE_DIR: stateDir },
    get: async <T>(collection: string, key: string) => (await records.read(collection, key))?.value as T | undefined,
    items: async (planId) => {
      const keys = (await records.keys(ITEMS_COLLECTION)).filter((k) => k.startsWith(`${planId}/`));
      return Promise.all(keys.map(async (k) => (await records.read(ITEMS_COLLECTION, k))?.value as ItemState));
    },
  };
}

function tables(table: string): Peek {
  const store = createStore({ storage: { kind: 'connection-string', connectionString: stage.azurite.connectionString, table } }, { getToken: async () => null });
  return {
    env: { SCBOT_STORAGE_CONNECTION_STRING: stage.azurite.connectionString, SCBOT_STORAGE_TABLE: table },
    get: async <T>(collection: string, key: string) => (await store.get<T>(collection, key))?.value,
    items: async (planId) => (await store.list<ItemState>(ITEMS_COLLECTION, `${planId}/`)).map((r) => r.value),
  };
}

async function bot(w: DrillCloud, peek: Peek): Promise<DrillBot> {
  const started = await startDrillBot(w.descriptor, { ...BOT_ENV, ...peek.env });
  processes.push(started);
  return started;
}

const putsOf = (w: DrillCloud) => () => putsPerConnection(w.cloud, CONNECTIONS);
const converted = (puts: number[]) => puts.filter((c) => c > 0).length;
const runStarts = (b: DrillBot, planId: string) => logRecords(b).filter((l) => l.msg === 'plan run started' && l.planId === planId);

/**
 * SIGTERM `b` (the holder of the plan's run lease): it must exit 0 having finished its steps in flight, its lease no
 * longer its own (gone, or already another instance's), and, with no other instance, no item left running.
 */
async function drain(b: DrillBot, peek: Peek, planId: string, alone: boolean): Promise<void> {
  const held = await peek.get<RunLeaseRecord>(RUN_LEASES, planId);
  expect(held).toBeDefined();
  expect(await b.terminate()).toBe(0);
  expect(logRecords(b).find((l) => l.msg === 'drained')).toMatchObject({ runsFinished: true, postsFlushed: true });
  expect((await peek.get<RunLeaseRecord>(RUN_LEASES, planId))?.owner).not.toBe(held?.owner);
  if (alone) {
    expect(await peek.get(RUN_LEASES, planId)).toBeUndefined();
    expect((await peek.items(planId)).filter((i) => i.status === 'running')).toEqual([]);
  }
}

describe.each([
  { kind: 'embedded store on disk (SCBOT_STATE_DIR)', peek: (dir: string) => embedded(dir) },
  { kind: 'Azure Tables on Azurite (SCBOT_STORAGE_CONNECTION_STRING)', peek: () => tables('scbotdrain') },
])('SIGTERM mid-run and restart 1 s later: $kind', ({ kind, peek: makePeek }) => {
  const w = drillCloud(stage, CONNECTIONS, 'drain');

  it('hands the run over: the restarted bot continues it at start-up, one PUT per connection, the card settled', async () => {
    const peek = makePeek(w.dir);
    const puts = putsOf(w);
    const first = await bot(w, peek);
    const preview = await ask(first.url, stage.connector, 'convert all');
    expect((await tap(first.url, stage.connector, preview)).status).toBe(200);
    await vi.waitFor(async () => expect(converted(await puts())).toBeGreaterThanOrEqual(6), { timeout: 60_000, interval: 20 });
    await drain(first, peek, preview.planId, true);
    const atExit = converted(await puts());
    expect(atExit).toBeLessThan(CONNECTIONS.length);

    await sleep(1_000);
    const second = await bot(w, peek);
    const readyAt = Date.now();
    await vi.waitFor(async () => expect(converted(await puts())).toBeGreaterThan(atExit), { timeout: 60_000, interval: 20 });
    const continuedMs = Date.now() - readyAt;
    await vi.waitFor(() => expect(lastCardUpdate(stage.connector, preview)).toContain('connections converted'), { timeout: 120_000, interval: 100 });
    console.log(`drain drill (${kind}): ${atExit}/${CONNECTIONS.length} converted at SIGTERM, exit 0; the restarted bot continued ${(continuedMs / 1000).toFixed(1)} s after it was ready`);
    // The start-up resume took the run: the lease was free at once (held, only a sweep after it lapsed could have).
    expect(runStarts(second, preview.planId).map((l) => l.trigger)).toEqual(['start-up']);
    expect(await puts()).toEqual(CONNECTIONS.map(() => 1));
  }, 300_000);
});

describe('two instances on Azurite: one drains, the other takes over', () => {
  const w = drillCloud(stage, CONNECTIONS, 'drain-two');

  it('before the drained lease would have expired, one PUT per connection, the card settled', async () => {
    const peek = tables('scbotdraintwo');
    const puts = putsOf(w);
    const [one, two] = await Promise.all([bot(w, peek), bot(w, peek)]);
    const preview = await ask(one.url, stage.connector, 'convert all');
    expect((await tap(one.url, stage.connector, preview)).status).toBe(200);
    await vi.waitFor(async () => expect(converted(await puts())).toBeGreaterThanOrEqual(6), { timeout: 60_000, interval: 20 });
    // The lease as it stands right before the SIGTERM: its real expiry is this one or a later renewal's.
    const held = await peek.get<RunLeaseRecord>(RUN_LEASES, preview.planId);
    await drain(one, peek, preview.planId, false);
    const exitedAt = Date.now();
    await vi.waitFor(() => expect(runStarts(two, preview.planId)).toHaveLength(1), { timeout: 60_000, interval: 20 });
    const [takeover] = runStarts(two, preview.planId);
    expect(takeover?.trigger).toBe('sweep');
    console.log(`drain drill (two instances): taken over ${((Number(takeover?.time) - exitedAt) / 1000).toFixed(1)} s after the drained instance exited; its lease had ${((Date.parse(held!.expiresAt) - exitedAt) / 1000).toFixed(1)} s left`);
    expect(Number(takeover?.time)).toBeLessThan(Date.parse(held!.expiresAt));
    await vi.waitFor(() => expect(lastCardUpdate(stage.connector, preview)).toContain('connections converted'), { timeout: 120_000, interval: 100 });
    expect(await puts()).toEqual(CONNECTIONS.map(() => 1));
  }, 300_000);
});
