/**
 * The radar's scan loop, the inventory keeper's loop and the policy-file reload run on the shared background-job
 * helper: a tick while a pass runs starts no second one, and shutdown (stop, then idle) waits for the running pass
 * and starts no new one. Timers are driven by hand and passes held at a gate: nothing here waits on time.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '@scbot/stand-ins';
import { AlertRadar, type AlertSettings, type FindingsScanner } from '../../src/alerts/radar';
import type { ScanResult } from '../../src/alerts/scanner';
import { DEFAULT_THRESHOLDS } from '../../src/domain/findings';
import type { Repeat } from '../../src/domain/time';
import { createInventory } from '../../src/inventory/org-inventory';
import { createLogger } from '../../src/logging';
import type { Notifier } from '../../src/notify/notifier.port';
import { PolicySource } from '../../src/policy/policy-source';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { RUN_LEASES } from '../../src/store/run-lease';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import { connection, project, recordingLogger, TestClock } from '../support/inventory-fixtures';
import { OPERATIONS, POLICY_YAML } from './policy-fixture';

/** A hand-driven timer: `fire()` runs every live tick once; stopping removes the tick. */
function manualRepeat() {
  const live: Array<() => void> = [];
  const repeat: Repeat = (fn) => {
    live.push(fn);
    return () => void live.splice(live.indexOf(fn), 1);
  };
  return { repeat, live, fire: () => { for (const fn of [...live]) fn(); } };
}

/** A gate a pass waits at; `entered` counts passes that reached it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => { open = resolve; });
  const g = { entered: 0, open, wait: async () => { g.entered += 1; await opened; } };
  return g;
}

/** Lets every pending callback run (no clock involved): a pass that could start or finish has done so. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A tick starts a pass (held at the gate); more ticks (and `poke`, another way in) start none while it runs; then
 * the loop is stopped: idle() waits for the pass at the gate, and no tick starts another one.
 */
async function expectOnePassThenDrain(o: { timer: ReturnType<typeof manualRepeat>; gate: ReturnType<typeof gate>; stop: () => void; idle: () => Promise<void>; poke?: () => void }) {
  o.timer.fire();
  await settle();
  expect(o.gate.entered).toBe(1);
  o.poke?.();
  o.timer.fire();
  await settle();
  expect(o.gate.entered).toBe(1);
  o.stop();
  let drained = false;
  const draining = o.idle().then(() => { drained = true; });
  await settle();
  expect(drained).toBe(false);
  o.timer.fire();
  o.gate.open();
  await draining;
  expect(drained).toBe(true);
  o.timer.fire();
  await settle();
  expect(o.gate.entered).toBe(1);
}

const SETTINGS: AlertSettings = { intervalMinutes: 60, reminderHours: 24, digestOver: 3, thresholds: { ...DEFAULT_THRESHOLDS }, checkUnused: false, projects: [] };
const silent = createLogger({ level: 'silent' });

describe('background loops on the shared job helper', () => {
  it('the radar: a tick during a scan starts none; shutdown waits for the scan and starts no new one', async () => {
    const g = gate();
    const scanner: FindingsScanner = {
      scan: async (): Promise<ScanResult> => {
        await g.wait();
        return { findings: [], gaps: { projects: [], secretsOf: [], historyOf: [] }, stats: { calls: { devopsProjects: 0, devopsList: 0, devopsHistory: 0, graph: 0 }, connections: 0, notes: [] } };
      },
    };
    const notifier: Notifier = { post: async () => undefined, update: async () => undefined };
    const timer = manualRepeat();
    const radar = new AlertRadar({ scanner, store: new EmbeddedStore(), clock: new ManualClock(), logger: silent, settings: SETTINGS, notifier, repeat: timer.repeat });
    await expectOnePassThenDrain({ timer, gate: g, stop: radar.start(), idle: () => radar.idle() });
  });

  it('the inventory keeper: a tick during a tick starts none; shutdown waits for it and starts no new one', async () => {
    const g = gate();
    /** The keeper's tick starts by reading its upkeep lease: held there at the gate. */
    class GatedStore extends EmbeddedStore {
      override async get<T>(collection: string, key: string) {
        if (collection === RUN_LEASES) await g.wait();
        return super.get<T>(collection, key);
      }
    }
    const timer = manualRepeat();
    const alpha = project('Alpha');
    const service = new InMemoryServiceEndpoints([alpha], [connection('sc-a', [alpha])]);
    const { keeper } = createInventory({ store: new GatedStore(), clock: new TestClock(), logger: recordingLogger().logger, projects: [], background: service, interactive: service, owner: 'a', repeat: timer.repeat });
    await expectOnePassThenDrain({ timer, gate: g, stop: keeper.start(), idle: () => keeper.idle() });
  });

  it('the policy reload: a poll or a watch during a reload starts none; shutdown waits for it and starts no new one', async () => {
    const g = gate();
    const timer = manualRepeat();
    const watches: Array<() => void> = [];
    let opened = false;
    const source = await PolicySource.open({
      path: '/etc/scbot/policy.yaml', operations: OPERATIONS, clock: new ManualClock(), pollMs: 10_000,
      read: async () => { if (opened) await g.wait(); return POLICY_YAML; },
      every: (ms, run) => timer.repeat(run, ms),
      watch: (_path, changed) => { watches.push(changed); return () => void watches.splice(watches.indexOf(changed), 1); },
    });
    opened = true;
    source.start();
    const poke = () => { for (const changed of [...watches]) changed(); };
    await expectOnePassThenDrain({ timer, gate: g, stop: () => source.stop(), idle: () => source.idle(), poke });
    expect(watches).toEqual([]);
  });
});
