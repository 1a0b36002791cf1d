/**
 * The crash that interrupts "a finished plan resolves the findings it fixed": instance 1 deletes the failed
 * connections and dies at the findings update (its writes of the last scan never return, its timers stop). The plan
 * is still executing, so instance 2's sweep resumes it once the lease lapses on the clock: nothing is deleted twice,
 * each connection's outcome is audited once, the findings are resolved and the plan settles.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_DEMO_POLICY } from '../../src/policy/policy-settings';
import type { Store } from '../../src/store/store.port';
import type { Repeat } from '../../src/domain/time';
import { AlertStore, SCANS, SCAN_PARTS } from '../../src/alerts/alert-store';
import { StoreAuditLog } from '../../src/audit';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { ask, tap } from '../support/drive-bot';
import { startTestApp, type StartedApp } from '../support/test-app';
import { callsFor, endpointId, HARNESS_TUNING, startHarness, type Harness } from './operations-harness';

const LEASE_MS = 15_000;
const dead: Repeat = () => () => undefined;

/** Instance 1's Store: once armed, a write of the last scan never returns (the process is gone). */
function dyingAtFindings(inner: Store): { store: Store; arm(): void; died: Promise<void> } {
  let armed = false;
  let die!: () => void;
  const died = new Promise<void>((resolve) => { die = resolve; });
  const store: Store = {
    get: (c, k) => inner.get(c, k),
    delete: (c, k, v) => inner.delete(c, k, v),
    list: (c, p) => inner.list(c, p),
    keys: (c, p) => inner.keys(c, p),
    put: (c, k, value, v) => {
      if (armed && (c === SCANS || c === SCAN_PARTS)) {
        die();
        return new Promise<never>(() => undefined);
      }
      return inner.put(c, k, value, v);
    },
  };
  return { store, arm: () => { armed = true; }, died };
}

let h: Harness;
let connector: ConnectorStandIn;
const apps: StartedApp[] = [];

beforeAll(async () => {
  h = await startHarness([{ n: 1, name: 'sc-failed-1', failed: true }, { n: 2, name: 'sc-failed-2', failed: true }, { n: 3, name: 'sc-ok-3' }]);
  connector = new ConnectorStandIn();
  await connector.start();
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  await connector?.close();
  await h?.close();
});

const failedNames = async () => ((await new AlertStore(h.store).lastScan())?.findings ?? []).filter((f) => f.kind === 'failed').map((f) => f.name).sort();

describe('the process dies after execution, before the findings update', () => {
  it('the resumed run resolves them: nothing lost, nothing doubled', async () => {
    const one = dyingAtFindings(h.store);
    const first = await startTestApp(h.ports({ store: one.store }), { policy: LOCAL_DEMO_POLICY, drainGraceMs: 100 }, {
      ...HARNESS_TUNING, owner: 'instance-1', runLease: { leaseMs: LEASE_MS, repeat: dead }, repeat: dead, sweepEveryMs: 0,
    });
    apps.push(first);
    expect((await first.alerts.runNow()).kind).toBe('scanned');
    expect(await failedNames()).toEqual(['sc-failed-1', 'sc-failed-2']);

    const preview = await ask(first.url, connector, 'delete failed');
    one.arm();
    h.cloud.devops.requests.clear();
    expect((await tap(first.url, connector, preview)).status).toBe(200);
    await one.died;
    // Both deleted, the plan still executing, the findings still there: the gap a crash leaves.
    for (const n of [1, 2]) expect(deletes(n)).toBe(1);
    expect((await h.store.get<{ state: string }>('approvals', preview.planId))?.value.state).toBe('executing');
    expect(await failedNames()).toEqual(['sc-failed-1', 'sc-failed-2']);

    const second = await startTestApp(h.ports(), { policy: LOCAL_DEMO_POLICY }, { ...HARNESS_TUNING, owner: 'instance-2', runLease: { leaseMs: LEASE_MS }, sweepEveryMs: 200 });
    apps.push(second);
    h.clock.advance(LEASE_MS + 1_000);
    await vi.waitFor(async () => expect((await h.store.get<{ state: string }>('approvals', preview.planId))?.value.state).toBe('done'), { timeout: 30_000, interval: 100 });
    await second.approvals.idle();

    expect(await failedNames()).toEqual([]);
    for (const n of [1, 2]) expect(deletes(n)).toBe(1);
    const executed = (await new StoreAuditLog(h.store).query({ planId: preview.planId })).filter((e) => e.kind === 'executed');
    expect(executed.map((e) => e.connections[0]?.name).sort()).toEqual(['sc-failed-1', 'sc-failed-2']);
  }, 60_000);
});

function deletes(n: number): number {
  return callsFor(h.cloud.devops.requests.entries(), endpointId(n)).filter((c) => c.startsWith('DELETE')).length;
}
