/**
 * Finding 1 (issue 10), the crash drill in the suite, with the processes an operator uses by hand: `npm run cloud`
 * keeps the organization (30 convertible connections, 40 ms per request) in its own process; the bot
 * (`npm start -- --cloud <descriptor>`) is killed with SIGKILL mid-way through `convert all` and started again 2 s
 * later on the same SCBOT_STATE_DIR, or the same Azure table on Azurite. With production defaults (15 s leases, a
 * heartbeat, a sweep every 5 s) the plan finishes within 60 s of the restart, every connection changed by exactly
 * one PUT (counted from `GET {orgUrl}/_emulator/requests`), and the card settles on Done.
 */
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { startDrillBot } from '../support/crash-drill';
import { drillCloud, drillStage, putsPerConnection } from '../support/drill-stage';
import { ask, lastCardUpdate, tap } from '../support/drive-bot';

const CONNECTIONS = Array.from({ length: 30 }, (_, i) => i + 1);
/** The drill's bot: one approver is enough for 30 connections, two at a time, quiet logs. */
const BOT_ENV = { SCBOT_TWO_APPROVERS_OVER: '100', EXECUTOR_CONCURRENCY: '2' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const stage = drillStage();
const { processes } = stage;

describe.each([
  { kind: 'embedded store on disk (SCBOT_STATE_DIR)', env: (dir: string): Record<string, string> => ({ SCBOT_STATE_DIR: path.join(dir, 'state') }) },
  { kind: 'Azure Tables on Azurite (SCBOT_STORAGE_CONNECTION_STRING)', env: (): Record<string, string> => ({ SCBOT_STORAGE_CONNECTION_STRING: stage.azurite.connectionString, SCBOT_STORAGE_TABLE: 'scbotdrill' }) },
])('kill -9 mid-run and restart 2 s later: $kind', ({ env }) => {
  const w = drillCloud(stage, CONNECTIONS, 'drill');
  const puts = () => putsPerConnection(w.cloud, CONNECTIONS);

  it('finishes within 60 s of the restart, one PUT per connection, the card settled', async () => {
    const first = await startDrillBot(w.descriptor, { ...BOT_ENV, ...env(w.dir) });
    processes.push(first);
    const preview = await ask(first.url, stage.connector, 'convert all');
    expect((await tap(first.url, stage.connector, preview)).status).toBe(200);
    await vi.waitFor(async () => expect((await puts()).filter((c) => c > 0).length).toBeGreaterThanOrEqual(6), { timeout: 30_000, interval: 20 });
    await first.stop();
    const atKill = (await puts()).filter((c) => c > 0).length;
    expect(atKill).toBeLessThan(CONNECTIONS.length);

    await sleep(2_000);
    const restartedAt = Date.now();
    processes.push(await startDrillBot(w.descriptor, { ...BOT_ENV, ...env(w.dir) }));
    await vi.waitFor(() => expect(lastCardUpdate(stage.connector, preview)).toContain('connections converted'), { timeout: 60_000, interval: 100 });
    const seconds = (Date.now() - restartedAt) / 1000;
    console.log(`crash drill: ${atKill}/${CONNECTIONS.length} converted at the kill; finished ${seconds.toFixed(1)} s after the restart`);
    expect(seconds).toBeLessThan(60);
    expect(await puts()).toEqual(CONNECTIONS.map(() => 1));
  }, 180_000);
});
