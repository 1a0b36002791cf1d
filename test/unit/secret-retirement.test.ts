import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { SecretLedger } from '../../src/execution/secret-ledger';
import { scheduleSecretRetirement } from '../../src/execution/secret-retirement';
import type { AppSecrets } from '../../src/azure/secret-source.port';
import { ManualClock } from '@scbot/stand-ins/test-kit';
import { AppError } from '../../src/domain/errors';

const APP = '0b7e3a55-9a2c-4c4e-8a4f-1d2e3f405161';


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

async function ledgerWithRotation(clock: ManualClock, graceMs: number) {
  const ledger = new SecretLedger(new EmbeddedStore(), clock);
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
    const retirement = scheduleSecretRetirement({ ledger, appSecrets, intervalMs: 60_000 });
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
    const retirement = scheduleSecretRetirement({ ledger, appSecrets, intervalMs: 60_000, logger: { info: () => undefined, warn: (o) => warnings.push(o) } });
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
    const retirement = scheduleSecretRetirement({ ledger, appSecrets, intervalMs: 1_000 });
    const [a, b] = [retirement.runOnce(), retirement.runOnce()];
    expect(a).toBe(b);
    await a;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(spy.mock.calls.length).toBe(4);
    retirement.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(spy.mock.calls.length).toBe(4);
  });
});
