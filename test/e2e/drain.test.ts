/**
 * The drain (issue 23 §6) in one process, where every step of it can be held and looked at: instance 1 runs a
 * 12-connection `convert all` two at a time, and is closed (what SIGTERM does) while two PUTs are in flight.
 * It stops taking runs (/readyz 503, an approval during the drain is recorded and answered "restarting"), lets the
 * two PUTs finish, releases the run lease and the heartbeat, and instance 2 on the same store resumes both plans
 * at start-up, without waiting for a lease to lapse. When a step outlives the grace, the run lease is released all
 * the same and only that item waits for its own item lease. (test/e2e/drain-drill.test.ts: real processes, SIGTERM.)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import { ITEMS_COLLECTION } from '../../src/execution/item-states';
import { RUN_HEARTBEATS } from '../../src/execution/run-heartbeat';
import type { ItemState } from '../../src/execution/run-report';
import { LOCAL_DEMO_POLICY } from '../../src/policy/policy-settings';
import { RUN_LEASES } from '../../src/store/run-lease';
import { type Repeat } from '../../src/domain/time';
import { ask, lastCardUpdate, tap, type Preview } from '../support/drive-bot';
import { startTestApp, type StartedApp } from '../support/test-app';
import { callsFor, endpointId, HARNESS_TUNING, startHarness, type Harness } from './operations-harness';

const BULK = Array.from({ length: 12 }, (_, i) => i + 1);
const MANUAL = 13;
const POLICY = { ...LOCAL_DEMO_POLICY, twoApproversOver: 100 };
const LEASE_MS = 15_000;
/** A stopped process renews nothing: in one process, instance 1's timers stand still as a dead one's would. */
const stopped: Repeat = () => () => undefined;

/** Instance 1's Azure DevOps client: PUTs wait at the gate (counted) until it opens; `hold` keeps one there for good. */
class Gate {
  waiting = 0;
  private opened = false;
  private readonly held: Array<() => void> = [];

  wrap(inner: ServiceEndpoints, hold?: string): ServiceEndpoints {
    return new Proxy(inner, {
      get: (target, prop, receiver) => {
        if (prop !== 'update') return Reflect.get(target, prop, receiver) as unknown;
        return async (endpoint: Parameters<ServiceEndpoints['update']>[0], operation?: string) => {
          if (endpoint.id === hold) return new Promise<never>(() => { this.waiting += 1; });
          if (!this.opened) {
            this.waiting += 1;
            await new Promise<void>((resolve) => this.held.push(resolve));
          }
          return target.update(endpoint, operation);
        };
      },
    });
  }

  open(): void {
    this.opened = true;
    for (const release of this.held.splice(0)) release();
  }
}

let h: Harness;
let connector: ConnectorStandIn;
const apps: StartedApp[] = [];

beforeEach(async () => {
  h = await startHarness([...BULK.map((n) => ({ n, name: `sc-drain-${n}` })), { n: MANUAL, name: 'sc-manual', mode: 'Manual' as const }]);
  connector = new ConnectorStandIn();
  await connector.start();
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  await connector?.close();
  await h?.close();
});

async function instance(owner: string, devops: ServiceEndpoints, drainGraceMs: number, dead = false): Promise<StartedApp> {
  const app = await startTestApp(h.ports({ devops }), { executorConcurrency: 2, policy: POLICY, drainGraceMs }, {
    ...HARNESS_TUNING, owner, sweepEveryMs: 100, runLease: { leaseMs: LEASE_MS, ...(dead ? { repeat: stopped } : {}) },
  });
  apps.push(app);
  return app;
}

const puts = (n: number) => callsFor(h.cloud.devops.requests.entries(), endpointId(n)).filter((c) => c.startsWith('PUT')).length;
const stateOf = async (planId: string) => (await h.store.get<{ state: string }>('approvals', planId))?.value.state;
const items = async (planId: string) => (await h.store.list<ItemState>(ITEMS_COLLECTION, `${planId}/`)).map((r) => r.value.status);
const count = (list: string[], status: string) => list.filter((s) => s === status).length;
const runStarts = (planId: string) => h.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'plan run started' && l.planId === planId);

describe('drain on close (SIGTERM)', () => {
  it('finishes the steps in flight, hands both plans over, and the next instance resumes them at start-up', async () => {
    const gate = new Gate();
    const one = await instance('instance-1', gate.wrap(h.newAdapter()), 30_000);
    const bulk = await ask(one.url, connector, 'convert all');
    const rotation = await ask(one.url, connector, 'rotate sc-manual');
    h.cloud.devops.requests.clear();
    expect((await tap(one.url, connector, bulk)).status).toBe(200);
    await vi.waitFor(() => expect(gate.waiting).toBe(2), { timeout: 20_000, interval: 10 });

    const closing = one.close();
    // Still answering while it drains: not ready, and an approval is recorded but its run left to the next instance.
    const ready = await fetch(`${one.url}/readyz`);
    expect({ status: ready.status, body: await ready.json() }).toMatchObject({ status: 503, body: { status: 'draining' } });
    const approved = await tap(one.url, connector, rotation);
    expect(approved.text).toContain('The bot is restarting');
    expect(await stateOf(rotation.planId)).toBe('approved');
    gate.open();
    await closing;

    // Handed over: the two PUTs in flight finished, nothing else started, and no lease or heartbeat is left behind.
    const afterDrain = await items(bulk.planId);
    expect({ done: count(afterDrain, 'done'), pending: count(afterDrain, 'pending'), running: count(afterDrain, 'running') }).toEqual({ done: 2, pending: 10, running: 0 });
    expect(await h.store.get(RUN_LEASES, bulk.planId)).toBeUndefined();
    expect(await h.store.list(RUN_HEARTBEATS)).toEqual([]);
    expect(await stateOf(bulk.planId)).toBe('executing');
    expect(BULK.filter((n) => puts(n) === 1)).toHaveLength(2);

    await instance('instance-2', h.newAdapter(), 30_000);
    await vi.waitFor(async () => expect([await stateOf(bulk.planId), await stateOf(rotation.planId)]).toEqual(['done', 'done']), { timeout: 30_000, interval: 50 });
    for (const n of BULK) expect(puts(n)).toBe(1);
    expect(puts(MANUAL)).toBe(1);
    // Taken at start-up: the released lease was free at once (a held one would have left it to a sweep, 15 s on).
    expect(runStarts(bulk.planId).map((l) => l.trigger)).toEqual(['approval', 'start-up']);
    expect(runStarts(rotation.planId).map((l) => l.trigger)).toEqual(['start-up']);
    await vi.waitFor(() => expect(lastCardUpdate(connector, bulk)).toContain('connections converted'), { timeout: 10_000, interval: 50 });
  }, 90_000);

  it('a step that outlives the grace: the run lease is released anyway, only that item waits for its item lease', async () => {
    const gate = new Gate();
    const stuck = endpointId(1);
    // Instance 1 renews nothing once closed (as a process that exited), and its step for connection 1 never returns.
    const one = await instance('instance-1', gate.wrap(h.newAdapter(), stuck), 300, true);
    const bulk: Preview = await ask(one.url, connector, 'convert all');
    h.cloud.devops.requests.clear();
    gate.open();
    expect((await tap(one.url, connector, bulk)).status).toBe(200);
    await vi.waitFor(() => expect(gate.waiting).toBe(1), { timeout: 20_000, interval: 10 });
    await one.close();
    expect(h.logLines.some((l) => l.includes('"runsFinished":false'))).toBe(true);
    expect(await h.store.get(RUN_LEASES, bulk.planId)).toBeUndefined();

    // Instance 2 takes the run at once and does everything but the stuck item, which its item lease still holds.
    await instance('instance-2', h.newAdapter(), 30_000);
    await vi.waitFor(() => expect(BULK.filter((n) => n !== 1 && puts(n) === 1)).toHaveLength(BULK.length - 1), { timeout: 30_000, interval: 50 });
    expect(puts(1)).toBe(0);
    expect(await stateOf(bulk.planId)).toBe('executing');
    h.clock.advance(LEASE_MS + 1);
    await vi.waitFor(async () => expect(await stateOf(bulk.planId)).toBe('done'), { timeout: 30_000, interval: 50 });
    for (const n of BULK) expect(puts(n)).toBe(1);
  }, 90_000);
});
