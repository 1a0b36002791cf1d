import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { RunLeases } from '../../src/store/run-lease';
import type { Store } from '../../src/store/store.port';
import { SecretLedger } from '../../src/execution/secret-ledger';
import { scheduleSecretRetirement } from '../../src/execution/secret-retirement';
import type { AppSecrets } from '../../src/azure/secret-source.port';
import { ManualClock } from '@scbot/stand-ins/test-kit';
import { AppError } from '../../src/domain/errors';

const APP = '0b7e3a55-9a2c-4c4e-8a4f-1d2e3f405161';
/** A lease of its own per call: these tests run one instance unless they say otherwise. */
const leases = (clock: ManualClock, store: Store = new EmbeddedStore(), owner = 'one') => new RunLeases({ store, clock, owner });

/** Graph as the ledger sees it: which passwords were removed, and a switch to make the next removal fail. */
function graph(): AppSecrets & { removed: string[]; failNext(): void } {
  let fail = false;
  const removed: string[] = [];
  return {
    removed,
    failNext: () => { fail = true; },
    addPassword: async () => { throw new Error('not used'); },
    listPasswords: async () => [],
    removePassword: async (_appId, keyId) => {
      if (fail) { fail = false; throw new AppError('GRAPH.UNAVAILABLE', 'Graph is unavailable'); }
      removed.push(keyId);
    },
  };
}

async function ledgerWithRotation(clock: ManualClock, graceMs: number, store: Store = new EmbeddedStore()) {
  const ledger = new SecretLedger(store, clock);
  await ledger.recordCreated(APP, 'old-key', 'endpoint-1');
  await ledger.promote('endpoint-1', APP, 'old-key', graceMs);
  await ledger.recordCreated(APP, 'new-key', 'endpoint-1');
  await ledger.promote('endpoint-1', APP, 'new-key', graceMs);
  return ledger;
}

describe('scheduleSecretRetirement', () => {
  afterEach(() => vi.useRealTimers());

  it('retires the previous bot-made secret only after the grace period, and only once', async () => {
    const clock = new ManualClock('2026-11-22T10:00:00Z');
    const appSecrets = graph();
    const ledger = await ledgerWithRotation(clock, 3_600_000);
    const retirement = scheduleSecretRetirement({ ledger, appSecrets, intervalMs: 60_000, leases: leases(clock) });
    try {
      expect(await retirement.runOnce()).toEqual([]);
      clock.advance(3_600_000);
      expect(await retirement.runOnce()).toEqual([{ appId: APP, keyId: 'old-key' }]);
      expect(await retirement.runOnce()).toEqual([]);
      expect(appSecrets.removed).toEqual(['old-key']);
    } finally {
      retirement.stop();
    }
  });

  it('keeps a secret whose removal failed scheduled for the next pass, without throwing', async () => {
    const clock = new ManualClock('2026-11-22T10:00:00Z');
    const appSecrets = graph();
    const ledger = await ledgerWithRotation(clock, 0);
    const warnings: object[] = [];
    const retirement = scheduleSecretRetirement({ ledger, appSecrets, intervalMs: 60_000, leases: leases(clock), logger: { info: () => undefined, warn: (o) => warnings.push(o) } });
    try {
      appSecrets.failNext();
      expect(await retirement.runOnce()).toEqual([{ appId: APP, keyId: 'old-key', failed: 'GRAPH.UNAVAILABLE' }]);
      expect(warnings).toEqual([{ appId: APP, keyId: 'old-key', code: 'GRAPH.UNAVAILABLE' }]);
      expect(await retirement.runOnce()).toEqual([{ appId: APP, keyId: 'old-key' }]);
    } finally {
      retirement.stop();
    }
  });

  it('runs on its timer, never two passes at once, and stops', async () => {
    vi.useFakeTimers();
    const clock = new ManualClock('2026-11-22T10:00:00Z');
    const appSecrets = graph();
    const ledger = await ledgerWithRotation(clock, 0);
    const spy = vi.spyOn(ledger, 'retireDueSecrets');
    const retirement = scheduleSecretRetirement({ ledger, appSecrets, intervalMs: 1_000, leases: leases(clock) });
    const [a, b] = [retirement.runOnce(), retirement.runOnce()];
    expect(a).toBe(b);
    await a;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(spy.mock.calls.length).toBe(4);
    retirement.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(spy.mock.calls.length).toBe(4);
  });

  it('two instances on one store retire a due secret exactly once: the one holding the lease does, the other skips', async () => {
    const clock = new ManualClock('2026-11-22T10:00:00Z');
    const store = new EmbeddedStore();
    const appSecrets = graph();
    await ledgerWithRotation(clock, 0, store);
    // Each instance has its own ledger over the shared store, as two processes would.
    const instance = (owner: string) => scheduleSecretRetirement({ ledger: new SecretLedger(store, clock), appSecrets, intervalMs: 60_000, leases: leases(clock, store, owner) });
    const [one, two] = [instance('one'), instance('two')];
    // Graph answers slowly, so both passes would read the due secret before either forgot it.
    const remove = appSecrets.removePassword.bind(appSecrets);
    let release!: () => void;
    const slow = new Promise<void>((resolve) => { release = resolve; });
    appSecrets.removePassword = async (appId, keyId) => { await slow; return remove(appId, keyId); };
    try {
      const passes = Promise.all([one.runOnce(), two.runOnce()]);
      setTimeout(release, 0);
      const [a, b] = await passes;
      expect([...a, ...b]).toEqual([{ appId: APP, keyId: 'old-key' }]);
      expect(appSecrets.removed).toEqual(['old-key']);
      // The lease was given back: the next pass (either instance) finds nothing left to retire.
      expect(await two.runOnce()).toEqual([]);
      expect(appSecrets.removed).toEqual(['old-key']);
    } finally {
      one.stop();
      two.stop();
    }
  });
});
