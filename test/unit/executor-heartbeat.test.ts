/**
 * Finding 1 (issue 10): the item lease is short and kept alive by its run's heartbeat. A live run's items are never
 * taken, however long a step takes; a dead run's items (no more beats) are resumed within one lease period, not
 * after five minutes.
 */
import { describe, expect, it } from 'vitest';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { planConvert } from '../../src/operations/convert/convert.planner';
import type { Plan } from '../../src/domain/plan';
import { Executor, ItemStates, SecretLedger, StorePlanRepository } from '../../src/execution';
import { createSteps } from '../../src/operations/operations';
import { RUN_HEARTBEATS } from '../../src/execution/run-heartbeat';
import type { Repeat } from '../../src/domain/time';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { FakeAppSecrets, newClock, RecordingEndpoints, spnEndpoint, target } from './executor-fixture';
import { InMemoryPipelineAccess } from '../support/in-memory-pipeline-access';
import { NO_MIGRATE_STEP } from '../support/federation-fakes';

const LEASE_MS = 15_000;

/** The one heartbeat record's expiry (one run beats at a time in this test). */
const beatOf = async (store: EmbeddedStore) => (await store.list<{ expiresAt: string }>(RUN_HEARTBEATS))[0]?.value.expiresAt;

/** The heartbeat's timer, fired by hand: `beat()` is one renewal; never calling it is a dead process. */
function handTimer() {
  let tick: (() => void) | undefined;
  const repeat: Repeat = (fn) => {
    tick = fn;
    return () => { tick = undefined; };
  };
  return { repeat, beat: () => tick?.() };
}

async function setup() {
  const clock = newClock();
  const store = new EmbeddedStore();
  const endpoints = ['sc-a', 'sc-b', 'sc-c'].map((n) => spnEndpoint(n));
  const plan = planConvert({ id: 'plan-heartbeat', command: 'convert all', now: clock.now(), targets: endpoints.map(target) }) as Plan;
  await new StorePlanRepository(store).save(plan);
  const executor = (devops: RecordingEndpoints, repeat?: Repeat) => {
    const secrets = new FakeAppSecrets();
    const steps = createSteps({ appSecrets: secrets, verifier: secrets, ledger: new SecretLedger(store, clock), sleep: async () => undefined }, { pipelines: new InMemoryPipelineAccess(), ...NO_MIGRATE_STEP });
    return new Executor({ store, devops, steps, clock, concurrency: 1, ...(repeat ? { repeat } : {}) });
  };
  return { clock, store, endpoints, plan, executor };
}

describe('item lease with a heartbeat', () => {
  it('a live run keeps its item past the item lease; once it stops beating, the next run resumes it within one lease period', async () => {
    const { clock, store, endpoints, plan, executor } = await setup();
    const [, b] = endpoints as [ServiceEndpoint, ServiceEndpoint, ServiceEndpoint];
    const slow = new RecordingEndpoints(endpoints, clock);
    slow.beforeUpdate = (id) => (id === b.id ? new Promise<void>(() => undefined) : undefined);
    const timer = handTimer();
    void executor(slow, timer.repeat).run(plan);
    await expect.poll(() => slow.callsFor(b.id)).toContain(`PUT ${b.id} ConvertAuthenticationScheme`);
    expect((await new ItemStates(store, clock).all(plan.id)).get(b.id)?.status).toBe('running');

    // Still alive: beats keep coming while the PUT takes longer than the lease.
    for (let s = 0; s < 4; s += 1) {
      clock.advance(LEASE_MS / 3);
      const before = await beatOf(store);
      timer.beat();
      await expect.poll(() => beatOf(store)).not.toBe(before);
    }
    const meanwhile = new RecordingEndpoints(endpoints, clock);
    const during = await executor(meanwhile).run(plan);
    expect(during.items.find((i) => i.endpointId === b.id)).toMatchObject({ status: 'skipped', reason: { kind: 'another-run' } });
    expect(meanwhile.callsFor(b.id)).toEqual([]);

    // Dead: no beat for one lease period, and b is taken over.
    clock.advance(LEASE_MS);
    const after = new RecordingEndpoints(endpoints, clock);
    const report = await executor(after).run(plan);
    expect(report.counts).toEqual({ done: 3, skipped: 0, failed: 0 });
    expect(after.callsFor(b.id)).toEqual([`LIST ${b.id}`, `PUT ${b.id} ConvertAuthenticationScheme`]);

    // The dead run's heartbeat record stays behind until it lapsed an hour ago; the next run then removes it.
    expect(await store.list(RUN_HEARTBEATS)).toHaveLength(1);
    clock.advance(2 * 3_600_000);
    await executor(new RecordingEndpoints(endpoints, clock)).run(plan);
    expect(await store.list(RUN_HEARTBEATS)).toHaveLength(0);
  });
});
