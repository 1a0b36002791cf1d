/**
 * Finding 1 (issue 10), in one process: two bot instances on one Azurite table. Instance 1 dies mid-way through a
 * 30-connection `convert all` (its calls stop returning, its timers stop: no lease renewal, no heartbeat, no
 * sweep). Nobody restarts anything: instance 2's periodic sweep takes the plan over once one lease period has
 * passed on the clock, converts every connection with exactly one PUT in all, and the card settles on Done.
 * (test/e2e/crash-drill.test.ts does the same with a real kill -9 of a child process.)
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import { LOCAL_DEMO_POLICY } from '../../src/policy/policy-settings';
import { createStore } from '../../src/store/store-factory';
import type { Store } from '../../src/store/store.port';
import type { Repeat } from '../../src/domain/time';
import { startAzuriteTables, type AzuriteTables } from '../support/azurite';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { ask, lastCardUpdate, tap } from '../support/drive-bot';
import { startTestApp, type StartedApp } from '../support/test-app';
import { callsFor, endpointId, HARNESS_TUNING, startHarness, type Harness } from './operations-harness';

const CONNECTIONS = Array.from({ length: 30 }, (_, i) => i + 1);
const LEASE_MS = 15_000;
const dead: Repeat = () => () => undefined;
/** The local demo policy, with one approver enough for 30 connections. */
const POLICY = { ...LOCAL_DEMO_POLICY, twoApproversOver: 100 };

/** Instance 1's Azure DevOps client: from the Nth conversion on, calls never return (the process is gone). */
function dying(inner: ServiceEndpoints, at: number): { devops: ServiceEndpoints; died: Promise<void> } {
  let conversions = 0;
  let die!: () => void;
  const died = new Promise<void>((resolve) => { die = resolve; });
  const devops = new Proxy(inner, {
    get: (target, prop, receiver) => {
      if (prop !== 'update') return Reflect.get(target, prop, receiver) as unknown;
      return (endpoint: Parameters<ServiceEndpoints['update']>[0], operation?: string) => {
        if ((conversions += 1) >= at) {
          die();
          return new Promise<never>(() => undefined);
        }
        return target.update(endpoint, operation);
      };
    },
  });
  return { devops, died };
}

let h: Harness;
let azurite: AzuriteTables;
let store: Store;
let connector: ConnectorStandIn;
const apps: StartedApp[] = [];

beforeAll(async () => {
  [h, azurite] = await Promise.all([startHarness(CONNECTIONS.map((n) => ({ n, name: `sc-bulk-${n}` }))), startAzuriteTables()]);
  store = createStore({ storage: { kind: 'connection-string', connectionString: azurite.connectionString, table: 'scbottakeover' } }, { getToken: async () => null });
  connector = new ConnectorStandIn();
  await connector.start();
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  await connector?.close();
  await h?.close();
  await azurite?.stop();
});

describe('an instance dies mid-run; the other takes over by itself', () => {
  it('within one lease period of the clock, every connection converted by exactly one PUT, the card settled', async () => {
    const one = dying(h.newAdapter(), 8);
    const first = await startTestApp(h.ports({ store, devops: one.devops }), { executorConcurrency: 4, policy: POLICY }, {
      ...HARNESS_TUNING, owner: 'instance-1', runLease: { leaseMs: LEASE_MS, repeat: dead },
    });
    const second = await startTestApp(h.ports({ store, devops: h.newAdapter() }), { executorConcurrency: 4, policy: POLICY }, {
      ...HARNESS_TUNING, owner: 'instance-2', runLease: { leaseMs: LEASE_MS }, sweepEveryMs: 200,
    });
    apps.push(first, second);
    const preview = await ask(first.url, connector, 'convert all');
    h.cloud.devops.requests.clear();
    expect((await tap(first.url, connector, preview)).status).toBe(200);
    await one.died;
    // Instance 2 sweeps all along; while instance 1's lease is current on the clock it must leave the plan alone.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(CONNECTIONS.filter((n) => puts(n) > 0).length).toBeLessThan(CONNECTIONS.length);
    h.clock.advance(LEASE_MS);
    await vi.waitFor(async () => expect((await store.get<{ state: string }>('approvals', preview.planId))?.value.state).toBe('done'), { timeout: 30_000, interval: 100 });
    await second.approvals.idle();
    for (const n of CONNECTIONS) expect(puts(n)).toBe(1);
    expect(lastCardUpdate(connector, preview)).toContain('connections converted');
  }, 60_000);
});

function puts(n: number): number {
  return callsFor(h.cloud.devops.requests.entries(), endpointId(n)).filter((c) => c.startsWith('PUT')).length;
}
