/**
 * Finding 1 (issue 10), the crash drill in the suite: the bot runs as a child process against a local cloud that
 * lives in the test process. Mid-way through a 30-connection `convert all` the bot is killed with SIGKILL and
 * started again 2 s later (same SCBOT_STATE_DIR, or the same Azure table on Azurite). With production defaults
 * (15 s leases, a heartbeat, a sweep every 5 s) the plan finishes within 60 s of the restart, every connection
 * changed by exactly one PUT (counted from the Azure DevOps stand-in's request log), and the card settles on Done.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAzuriteTables, type AzuriteTables } from '../support/azurite';
import { ConnectorStandIn } from '../support/connector-stand-in';
import { startBotChild, type BotChild } from '../support/crash-drill/bot-child';
import { writeDrillCloud } from '../support/crash-drill/cloud-endpoints-file';
import { ask, lastCardUpdate, tap } from '../support/drive-bot';
import { callsFor, endpointId, startHarness, type Harness } from './operations-harness';

const CONNECTIONS = Array.from({ length: 30 }, (_, i) => i + 1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let azurite: AzuriteTables;
let connector: ConnectorStandIn;
const children: BotChild[] = [];

beforeAll(async () => {
  azurite = await startAzuriteTables();
  connector = new ConnectorStandIn();
  await connector.start();
}, 120_000);

afterAll(async () => {
  for (const child of children) await child.kill();
  await connector?.close();
  await azurite?.stop();
});

/** The twice-started bot's world: a local cloud of 30 convertible connections in this process, and a folder. */
function drillWorld() {
  const w = {} as { h: Harness; dir: string; cloudFile: string };
  beforeAll(async () => {
    w.h = await startHarness(CONNECTIONS.map((n) => ({ n, name: `sc-drill-${n}` })));
    // Slow enough that the kill lands mid-run, as it would against a real organization.
    w.h.cloud.devops.faults.setLatency(40);
    w.dir = await mkdtemp(path.join(tmpdir(), 'scbot-drill-'));
    w.cloudFile = path.join(w.dir, 'cloud.json');
    await writeDrillCloud(w.cloudFile, w.h.cloud);
  }, 60_000);
  afterAll(async () => {
    await w.h?.close();
    if (w.dir) await rm(w.dir, { recursive: true, force: true });
  });
  return w;
}

describe.each([
  { kind: 'embedded store on disk (SCBOT_STATE_DIR)', env: (dir: string) => ({ SCBOT_STATE_DIR: path.join(dir, 'state') }) },
  { kind: 'Azure Tables on Azurite (SCBOT_STORAGE_CONNECTION_STRING)', env: () => ({ SCBOT_STORAGE_CONNECTION_STRING: azurite.connectionString, SCBOT_STORAGE_TABLE: 'scbotdrill' }) },
])('kill -9 mid-run and restart 2 s later: $kind', ({ env }) => {
  const w = drillWorld();
  const puts = (n: number) => callsFor(w.h.cloud.devops.requests.entries(), endpointId(n)).filter((c) => c.startsWith('PUT')).length;

  it('finishes within 60 s of the restart, one PUT per connection, the card settled', async () => {
    const first = await startBotChild(w.cloudFile, env(w.dir));
    children.push(first);
    const preview = await ask(first.url, connector, 'convert all');
    expect((await tap(first.url, connector, preview)).status).toBe(200);
    await vi.waitFor(() => expect(CONNECTIONS.filter((n) => puts(n) > 0).length).toBeGreaterThanOrEqual(6), { timeout: 30_000, interval: 20 });
    await first.kill();
    const doneAtKill = CONNECTIONS.filter((n) => puts(n) > 0).length;
    expect(doneAtKill).toBeLessThan(CONNECTIONS.length);

    await sleep(2_000);
    const restartedAt = Date.now();
    children.push(await startBotChild(w.cloudFile, env(w.dir)));
    await vi.waitFor(() => expect(lastCardUpdate(connector, preview)).toContain('Done'), { timeout: 60_000, interval: 100 });
    const seconds = (Date.now() - restartedAt) / 1000;
    console.log(`crash drill: ${doneAtKill}/${CONNECTIONS.length} converted at the kill; finished ${seconds.toFixed(1)} s after the restart`);
    expect(seconds).toBeLessThan(60);
    for (const n of CONNECTIONS) expect(puts(n)).toBe(1);
  }, 150_000);
});
