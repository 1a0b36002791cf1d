/**
 * Finding 1 (issue 10), the crash drill in the suite, with the processes an operator uses by hand: `npm run cloud`
 * keeps the organization (30 convertible connections, 40 ms per request) in its own process; the bot
 * (`npm start -- --cloud <descriptor>`) is killed with SIGKILL mid-way through `convert all` and started again 2 s
 * later on the same SCBOT_STATE_DIR, or the same Azure table on Azurite. With production defaults (15 s leases, a
 * heartbeat, a sweep every 5 s) the plan finishes within 60 s of the restart, every connection changed by exactly
 * one PUT (counted from `GET {orgUrl}/_emulator/requests`), and the card settles on Done.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import type { ConnectedCloud } from '@scbot/stand-ins';
import { startAzuriteTables, type AzuriteTables } from '../support/azurite';
import { startDrillBot, startDrillCloud, type DrillProcess } from '../support/crash-drill';
import { ask, lastCardUpdate, tap } from '../support/drive-bot';
import { endpointId, operationsSeedDocument } from './operations-harness';

const CONNECTIONS = Array.from({ length: 30 }, (_, i) => i + 1);
/** The drill's bot: one approver is enough for 30 connections, two at a time, quiet logs. */
const BOT_ENV = { SCBOT_TWO_APPROVERS_OVER: '100', EXECUTOR_CONCURRENCY: '2' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let azurite: AzuriteTables;
let connector: ConnectorStandIn;
const processes: DrillProcess[] = [];

beforeAll(async () => {
  azurite = await startAzuriteTables();
  connector = new ConnectorStandIn();
  await connector.start();
}, 120_000);

afterAll(async () => {
  for (const p of processes.reverse()) await p.stop();
  await connector?.close();
  await azurite?.stop();
});

/** A running cloud of its own for each store, so each drill converts all 30 from scratch. */
function drillCloud() {
  const w = {} as { cloud: ConnectedCloud; dir: string; descriptor: string };
  beforeAll(async () => {
    w.dir = await mkdtemp(path.join(tmpdir(), 'scbot-drill-'));
    w.descriptor = path.join(w.dir, 'cloud.json');
    const seed = path.join(w.dir, 'seed.json');
    await writeFile(seed, JSON.stringify(operationsSeedDocument(CONNECTIONS.map((n) => ({ n, name: `sc-drill-${n}` })))));
    const started = await startDrillCloud(w.descriptor, seed, 40);
    processes.push(started);
    w.cloud = started.cloud;
  }, 120_000);
  afterAll(async () => {
    if (w.dir) await rm(w.dir, { recursive: true, force: true });
  });
  return w;
}

describe.each([
  { kind: 'embedded store on disk (SCBOT_STATE_DIR)', env: (dir: string): Record<string, string> => ({ SCBOT_STATE_DIR: path.join(dir, 'state') }) },
  { kind: 'Azure Tables on Azurite (SCBOT_STORAGE_CONNECTION_STRING)', env: (): Record<string, string> => ({ SCBOT_STORAGE_CONNECTION_STRING: azurite.connectionString, SCBOT_STORAGE_TABLE: 'scbotdrill' }) },
])('kill -9 mid-run and restart 2 s later: $kind', ({ env }) => {
  const w = drillCloud();
  const putsPerConnection = async () => {
    const requests = await w.cloud.requests();
    return CONNECTIONS.map((n) => requests.filter((r) => r.method === 'PUT' && r.path.toLowerCase().endsWith(`/endpoints/${endpointId(n)}`)).length);
  };

  it('finishes within 60 s of the restart, one PUT per connection, the card settled', async () => {
    const first = await startDrillBot(w.descriptor, { ...BOT_ENV, ...env(w.dir) });
    processes.push(first);
    const preview = await ask(first.url, connector, 'convert all');
    expect((await tap(first.url, connector, preview)).status).toBe(200);
    await vi.waitFor(async () => expect((await putsPerConnection()).filter((c) => c > 0).length).toBeGreaterThanOrEqual(6), { timeout: 30_000, interval: 20 });
    await first.stop();
    const atKill = (await putsPerConnection()).filter((c) => c > 0).length;
    expect(atKill).toBeLessThan(CONNECTIONS.length);

    await sleep(2_000);
    const restartedAt = Date.now();
    processes.push(await startDrillBot(w.descriptor, { ...BOT_ENV, ...env(w.dir) }));
    await vi.waitFor(() => expect(lastCardUpdate(connector, preview)).toContain('Done'), { timeout: 60_000, interval: 100 });
    const seconds = (Date.now() - restartedAt) / 1000;
    console.log(`crash drill: ${atKill}/${CONNECTIONS.length} converted at the kill; finished ${seconds.toFixed(1)} s after the restart`);
    expect(seconds).toBeLessThan(60);
    expect(await putsPerConnection()).toEqual(CONNECTIONS.map(() => 1));
  }, 180_000);
});
