import { describe, expect, it } from 'vitest';
import { RUN_LEASES, RunLeases, type RunLeaseRecord } from '../../src/store/run-lease';
import { type Repeat } from '../../src/domain/time';
import { ManualClock } from '@scbot/stand-ins/test-kit';
import { EmbeddedStore } from '../../src/store/embedded-store';

const PLAN = 'P-ABCDEFGH';
const LEASE_MS = 60_000;

/** A Repeat the test fires by hand, recording the period it was asked for. */
function manualRepeat() {
  const state: { fn?: () => void; ms?: number; stopped: boolean } = { stopped: false };
  const repeat: Repeat = (fn, ms) => {
    state.fn = fn;
    state.ms = ms;
    return () => { state.stopped = true; };
  };
  return { repeat, state };
}

function setup() {
  const store = new EmbeddedStore();
  const clock = new ManualClock('2026-11-22T06:00:00.000Z');
  const one = new RunLeases({ store, clock, owner: 'instance-1', leaseMs: LEASE_MS });
  const two = new RunLeases({ store, clock, owner: 'instance-2', leaseMs: LEASE_MS });
  const stored = async () => (await store.get<RunLeaseRecord>(RUN_LEASES, PLAN))?.value;
  return { store, clock, one, two, stored };
}

describe('run lease', () => {
  it('is taken once: a second owner cannot take a current lease', async () => {
    const { one, two, stored } = setup();
    expect(await one.take(PLAN)).toBeDefined();
    expect(await two.take(PLAN)).toBeUndefined();
    expect(await stored()).toEqual({ owner: 'instance-1', expiresAt: '2026-11-22T06:01:00.000Z' });
  });

  it('only one of two concurrent takers wins', async () => {
    const { one, two } = setup();
    const [a, b] = await Promise.all([one.take(PLAN), two.take(PLAN)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
  });

  it('is not taken over before it expires, and is taken over after', async () => {
    const { clock, one, two, stored } = setup();
    const held = await one.take(PLAN);
    clock.advance(LEASE_MS - 1);
    expect(await two.take(PLAN)).toBeUndefined();
    clock.advance(1);
    expect(await two.take(PLAN)).toBeDefined();
    expect((await stored())?.owner).toBe('instance-2');
    // The crashed owner's renewal now fails: it has lost the run.
    expect(await one.renew(PLAN, held!)).toBeUndefined();
  });

  it('renewal pushes the expiry out, so a live owner is never taken over', async () => {
    const { clock, one, two, stored } = setup();
    let held = await one.take(PLAN);
    for (let i = 0; i < 5; i += 1) {
      clock.advance(LEASE_MS / 3);
      held = await one.renew(PLAN, held!);
      expect(held).toBeDefined();
      expect(await two.take(PLAN)).toBeUndefined();
    }
    expect(await stored()).toEqual({ owner: 'instance-1', expiresAt: new Date(clock.now().getTime() + LEASE_MS).toISOString() });
  });

  it('release frees the plan at once; releasing a lease taken over leaves the new owner alone', async () => {
    const { clock, one, two, stored } = setup();
    const held = await one.take(PLAN);
    await one.release(PLAN, held!);
    expect(await stored()).toBeUndefined();
    const again = await one.take(PLAN);
    clock.advance(LEASE_MS);
    await two.take(PLAN);
    await one.release(PLAN, again!);
    expect((await stored())?.owner).toBe('instance-2');
  });

  it('holdWhile renews every lease/3 while the work runs, then releases', async () => {
    const { store, clock, two, stored } = setup();
    const { repeat, state } = manualRepeat();
    const one = new RunLeases({ store, clock, owner: 'instance-1', leaseMs: LEASE_MS, repeat });
    let finish!: () => void;
    const work = new Promise<void>((resolve) => { finish = resolve; });
    const running = one.holdWhile(PLAN, () => work.then(() => 'done'));
    await expect.poll(() => state.fn).toBeDefined();
    expect(state.ms).toBe(LEASE_MS / 3);
    for (let i = 0; i < 4; i += 1) {
      clock.advance(LEASE_MS / 3);
      state.fn!();
    }
    // Without renewal the lease would have lapsed at +60 s; it is now +80 s and still held.
    await expect.poll(async () => (await stored())?.expiresAt).toBe('2026-11-22T06:02:20.000Z');
    expect(await two.take(PLAN)).toBeUndefined();
    finish();
    expect(await running).toEqual({ taken: true, value: 'done' });
    expect(state.stopped).toBe(true);
    expect(await stored()).toBeUndefined();
  });

  it('holdWhile leaves the plan alone (work never runs) while another owner holds it', async () => {
    const { one, two } = setup();
    await one.take(PLAN);
    let ran = false;
    expect(await two.holdWhile(PLAN, async () => { ran = true; })).toEqual({ taken: false });
    expect(ran).toBe(false);
  });

  it('holdWhile releases the lease when the work throws', async () => {
    const { one, two, stored } = setup();
    await expect(one.holdWhile(PLAN, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await stored()).toBeUndefined();
    expect(await two.take(PLAN)).toBeDefined();
  });

  it('holdWhile aborts its signal when the lease is taken over, and not when a renewal merely fails', async () => {
    const { store, clock, two } = setup();
    const { repeat, state } = manualRepeat();
    let failNext = false;
    const flaky = new Proxy(store, { get: (target, prop, receiver) => (prop === 'put' && failNext ? async () => { failNext = false; throw new Error('store unreachable'); } : Reflect.get(target, prop, receiver) as unknown) });
    const failures: unknown[] = [];
    const one = new RunLeases({ store: flaky, clock, owner: 'instance-1', leaseMs: LEASE_MS, repeat, onRenewFailed: (_id, error) => failures.push(error) });
    let signal: AbortSignal | undefined;
    let finish = () => undefined as void;
    const held = one.holdWhile(PLAN, (lost) => {
      signal = lost;
      return new Promise<void>((resolve) => { finish = resolve; });
    });
    await expect.poll(() => signal).toBeDefined();
    failNext = true;
    state.fn?.();
    await expect.poll(() => failures.length).toBe(1);
    expect(signal?.aborted).toBe(false);
    // The process stalls past the lease; another instance takes the run over; our next renewal finds it lost.
    clock.advance(LEASE_MS);
    expect(await two.take(PLAN)).toBeDefined();
    state.fn?.();
    await expect.poll(() => signal?.aborted).toBe(true);
    finish();
    expect(await held).toEqual({ taken: true, value: undefined });
  });

  it('releaseAll gives up every lease held, the work still running: another instance takes the plan at once', async () => {
    const { store, clock, two, stored } = setup();
    const { repeat, state } = manualRepeat();
    const holder = new RunLeases({ store, clock, owner: 'instance-1', leaseMs: LEASE_MS, repeat });
    let finish = () => undefined as void;
    const held = holder.holdWhile(PLAN, () => new Promise<void>((resolve) => { finish = resolve; }));
    await expect.poll(async () => (await stored())?.owner).toBe('instance-1');
    await holder.releaseAll();
    expect(state.stopped).toBe(true);
    expect(await stored()).toBeUndefined();
    expect(await two.take(PLAN)).toBeDefined();
    // The work ending later releases nothing more: the lease is the other instance's now.
    finish();
    expect(await held).toEqual({ taken: true, value: undefined });
    expect((await stored())?.owner).toBe('instance-2');
  });
});
