import { describe, expect, it } from 'vitest';
import { ManualClock } from '@scbot/stand-ins';
import { CallGate, type Lane } from '../../src/devops/call-gate';
import { RateBudget, type CallRecord } from '../../src/devops/rate-budget';
import type { RateLimitSnapshot } from '../../src/devops/rate-limit-headers';

const T0 = Date.parse('2026-11-22T06:00:00.000Z');
/** Headers as the service sends them: Reset in whole epoch seconds. */
const snapshot = (limit: number, remaining: number, resetAtMs: number): RateLimitSnapshot => ({
  limit, remaining, resetAt: new Date(Math.ceil(resetAtMs / 1000) * 1000).toISOString(), status: 200, observedAt: new Date(T0).toISOString(),
});

/** A call that reached the service at `at` and was answered at once, with the service's count in its headers. */
function answered(budget: RateBudget, at: number, headers?: RateLimitSnapshot): void {
  budget.start();
  if (headers) budget.learn(headers, at);
  budget.settle(at);
}

describe('RateBudget', () => {
  it('goes freely until the service names a limit', () => {
    const budget = new RateBudget();
    for (let i = 0; i < 50; i += 1) answered(budget, T0 + i);
    expect(budget.wait(T0 + 50)).toEqual({ kind: 'go' });
  });

  it('holds the call that would pass the limit until the oldest answer leaves the window learnt from Reset', () => {
    const budget = new RateBudget();
    answered(budget, T0);
    answered(budget, T0 + 1_000);
    // 5 per 10 s window, one kept in reserve: three spent, one more fits; Reset = the newest unit + 10 s.
    answered(budget, T0 + 2_000, snapshot(5, 2, T0 + 12_000));
    expect(budget.wait(T0 + 2_000)).toEqual({ kind: 'go' });
    answered(budget, T0 + 3_000, snapshot(5, 1, T0 + 13_000));
    // The oldest answer (T0) leaves at T0 + 10 s (+ 1% margin): 7.1 s from now.
    expect(budget.wait(T0 + 3_000)).toEqual({ kind: 'sleep', ms: 7_100 });
    expect(budget.wait(T0 + 10_100)).toEqual({ kind: 'go' });
  });

  it('counts calls in flight, and waits for an answer when they alone fill the budget', () => {
    const budget = new RateBudget();
    answered(budget, T0, snapshot(4, 3, T0 + 10_000));
    budget.start();
    budget.start();
    expect(budget.wait(T0 + 1)).toEqual({ kind: 'sleep', ms: 10_099 });
    budget.start();
    // Past the window the answered call is gone, but three are in flight: only an answer can make room.
    expect(budget.wait(T0 + 10_101)).toEqual({ kind: 'answer' });
  });

  it('reads the cost of a call off the headers: cheap calls fit many times the limit, someone else\'s spending fewer', () => {
    const cheap = new RateBudget();
    // Ten calls answered and 2 of 200 units spent: a call costs 0.2, so 1,000 fit (less one kept in reserve).
    for (let i = 0; i < 9; i += 1) answered(cheap, T0 + i);
    answered(cheap, T0 + 9, snapshot(200, 198, T0 + 10_000));
    for (let i = 0; i < 988; i += 1) cheap.start();
    expect(cheap.wait(T0 + 10)).toEqual({ kind: 'go' });
    cheap.start();
    expect(cheap.wait(T0 + 10).kind).toBe('sleep');
    const crowded = new RateBudget();
    // One call of ours, yet 3 of 10 units are spent: another tool spends with the same identity; one more fits.
    answered(crowded, T0, snapshot(10, 7, T0 + 10_000));
    expect(crowded.wait(T0 + 1)).toEqual({ kind: 'go' });
    answered(crowded, T0 + 1);
    expect(crowded.wait(T0 + 2).kind).toBe('sleep');
  });

  it('a refusal\'s Reset frees every call answered before it, though it says nothing of the window\'s length', () => {
    const budget = new RateBudget();
    answered(budget, T0);
    budget.start();
    // Refused (429): usage is back to 0 at Reset; the window is still the documented 5 minutes (1% margin: 3 s).
    budget.learn({ ...snapshot(2, 0, T0 + 2_000), status: 429 }, T0 + 10);
    budget.settle(T0 + 10, false);
    expect(budget.wait(T0 + 10)).toEqual({ kind: 'sleep', ms: 4_990 });
  });

  it('on an answer without the headers, widens the budget to the full limit but still counts the calls in the window', () => {
    const budget = new RateBudget();
    // One call of ours, yet 3 of 4 units spent: someone else spends too, and no second call fits.
    answered(budget, T0, snapshot(4, 1, T0 + 10_000));
    expect(budget.wait(T0 + 1).kind).toBe('sleep');
    // The service is no longer near its limit: the others' units are taken as gone, ours are still in the window.
    budget.forget();
    for (let i = 1; i < 4; i += 1) {
      expect(budget.wait(T0 + i)).toEqual({ kind: 'go' });
      budget.start();
    }
    // Four of ours in flight or in the window: the fifth waits, however quiet the service says it is.
    expect(budget.wait(T0 + 4)).toEqual({ kind: 'sleep', ms: 10_096 });
  });

  it('keeps a share of the budget out of reach of a caller asking for less than all of it', () => {
    const budget = new RateBudget();
    // 50 calls, 50 of 100 units: a call costs a unit, so 99 fit (one in reserve); 79 for a caller asking for 80%.
    for (let i = 0; i < 49; i += 1) answered(budget, T0 + i);
    answered(budget, T0 + 49, snapshot(100, 50, T0 + 10_000));
    for (let i = 0; i < 29; i += 1) budget.start();
    expect(budget.wait(T0 + 50, 0.8).kind).toBe('sleep');
    expect(budget.wait(T0 + 50)).toEqual({ kind: 'go' });
  });
});

/**
 * `workers` callers on a simulated clock against an emulated service: `limit` units per sliding `windowMs`, one unit
 * a call, counted `legMs` after it is sent and answered `legMs` later; Reset in whole seconds from the newest unit,
 * headers from `headersFrom` of the budget spent (half unless told). Each worker sends its next call as soon as
 * the budget lets it; a refused call is sent again. Returns when each call was sent and how many were refused.
 */
function simulate(budget: RateBudget, options: { workers: number; calls: number; limit: number; windowMs: number; legMs: number; headersFrom?: number }) {
  const { workers, calls, limit, windowMs, legMs } = options;
  const counted: number[] = [];
  const sent: number[] = [];
  let refused = 0;
  let now = T0;
  type Event = { at: number; kind: 'count' | 'answer'; call: CallRecord; accepted?: boolean; headers?: RateLimitSnapshot };
  const events: Event[] = [];
  let idle = workers;
  let toSend = calls;
  while (toSend > 0 || events.length > 0) {
    while (idle > 0 && toSend > 0) {
      const wait = budget.wait(now);
      if (wait.kind !== 'go') break;
      const call = budget.start(now);
      sent.push(now);
      events.push({ at: now + legMs, kind: 'count', call });
      idle -= 1;
      toSend -= 1;
    }
    events.sort((a, b) => a.at - b.at);
    const wait = idle > 0 && toSend > 0 ? budget.wait(now) : { kind: 'answer' as const };
    const next = events[0];
    const wakeAt = wait.kind === 'sleep' ? now + wait.ms : Number.POSITIVE_INFINITY;
    if (!next || wakeAt < next.at) { now = wakeAt; continue; }
    events.shift();
    now = next.at;
    if (next.kind === 'count') {
      const inWindow = counted.filter((t) => t > now - windowMs);
      const accepted = inWindow.length < limit;
      if (accepted) counted.push(now);
      const spent = inWindow.length + (accepted ? 1 : 0);
      const headers = !accepted ? { ...snapshot(limit, 0, (counted.at(-1) ?? now) + windowMs), status: 429 }
        : spent >= limit * (options.headersFrom ?? 0.5) ? snapshot(limit, limit - spent, now + windowMs) : undefined;
      events.push({ at: now + legMs, kind: 'answer', call: next.call, accepted, headers });
    } else {
      if (next.headers) budget.learn(next.headers, now, next.call);
      else budget.forget();
      budget.settle(now, next.accepted, next.call);
      if (!next.accepted) { refused += 1; toSend += 1; }
      idle += 1;
    }
  }
  return { sent, refused, seconds: (now - T0) / 1000 };
}

describe('RateBudget against a service that counts a call on its way', () => {
  it('keeps calls for the window from Reset less the instant a call was SENT, so one slow answer never shortens it', () => {
    const budget = new RateBudget();
    // 2 units per 9.96 s. A: sent at T0, counted 40 ms later, its answer 300 ms slow on the way back; Reset = the
    // count + the window = T0 + 10 s exactly.
    const a = budget.start(T0);
    budget.learn(snapshot(2, 1, T0 + 40 + 9_960), T0 + 340, a);
    budget.settle(T0 + 340, true, a);
    // B: sent at T0 + 400, counted at T0 + 440, answered at once; it leaves the service's window at T0 + 10.4 s.
    const b = budget.start(T0 + 400);
    budget.learn(snapshot(2, 0, T0 + 440 + 9_960), T0 + 480, b);
    budget.settle(T0 + 480, true, b);
    // Reset - answer would take A's 9.66 s for the window: B let go at T0 + 10.24 s, its successor counted before B
    // left. Reset - sent (10 s) keeps B until T0 + 400 + 10 s + 1% margin, and its successor is counted after.
    expect(budget.wait(T0 + 480)).toEqual({ kind: 'sleep', ms: 10_500 - 480 });
  });

  it('reads the spacing off Remaining once calls leave: a turnover costs the margin, not the way there on top', () => {
    // 16 workers, 100 units per 2 s, 50 ms each way: 510 calls need 5 turnovers of the window.
    const budget = new RateBudget();
    const run = simulate(budget, { workers: 16, calls: 510, limit: 100, windowMs: 2_000, legMs: 50 });
    expect(run.refused).toBe(0);
    // The bound: the last turnover at 5 windows, plus one round trip. Learning from Reset alone, each turnover
    // also waits the way there (50 ms) after the service has let a call go, and the first one Reset's rounding.
    expect(run.seconds).toBeGreaterThanOrEqual(10.1);
    // 99 calls a window (one in reserve): the last two turnovers, once the spacing is learnt, take the window and
    // the margin (25 ms) each, not the window and the way there.
    const lastTwo = (run.sent[495] ?? 0) - (run.sent[297] ?? 0);
    expect(lastTwo).toBeGreaterThanOrEqual(2 * 2_000);
    expect(lastTwo).toBeLessThan(2 * (2_000 + 50));
  });

  it('takes calls sent in the same millisecond one after the other: a burst is never read as calls that left', () => {
    const budget = new RateBudget();
    // Eight workers against 10 units per second, answered at once (every burst is one millisecond); headers on every
    // answer, so that the first window is paced too.
    const run = simulate(budget, { workers: 8, calls: 60, limit: 10, windowMs: 1_000, legMs: 0.5, headersFrom: 0 });
    expect(run.refused).toBe(0);
    expect(run.seconds).toBeGreaterThan(5);
  });
});

/** A gate on a manual clock whose sleeps the test releases by hand, in order. */
function manualGate(options: ConstructorParameters<typeof CallGate>[2] = {}) {
  const clock = new ManualClock(new Date(T0));
  const sleeps: Array<{ ms: number; wake: () => void }> = [];
  const gate = new CallGate(() => clock.now().getTime(), (ms) => new Promise<void>((wake) => { sleeps.push({ ms, wake }); }), options);
  const admitted: string[] = [];
  const ask = (lane: Lane, name: string) => gate.admit(lane).then(() => void admitted.push(name));
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { clock, gate, sleeps, admitted, ask, settle };
}

describe('CallGate', () => {
  it('when a slot opens, a waiting interactive call goes before background calls that waited longer', async () => {
    const g = manualGate();
    await g.gate.admit('normal');
    g.gate.learn(snapshot(1, 0, T0 + 10_000));
    g.gate.release('normal');
    void g.ask('background', 'scan-1');
    void g.ask('background', 'scan-2');
    await g.settle();
    void g.ask('interactive', 'list');
    await g.settle();
    expect(g.admitted).toEqual([]);
    g.clock.advance(10_100);
    for (const s of g.sleeps.splice(0)) s.wake();
    await g.settle();
    expect(g.admitted).toEqual(['list']);
    expect(g.gate.load().waiting).toEqual({ interactive: 0, normal: 0, background: 2 });
  });

  it('a background call yields while an interactive one waits, even once the budget has room again', async () => {
    const g = manualGate();
    await g.gate.admit('normal');
    // One unit of three spent by this call, one kept in reserve: two fit.
    g.gate.learn(snapshot(3, 2, T0 + 10_000));
    await g.gate.admit('normal');
    void g.ask('interactive', 'show');
    await g.settle();
    void g.ask('background', 'scan');
    g.gate.release('normal');
    await g.settle();
    expect(g.admitted).toEqual([]);
    // The answered call leaves the window: one slot, and the person's call takes it while the scan keeps waiting.
    g.clock.advance(10_100);
    for (const s of g.sleeps.splice(0)) s.wake();
    await g.settle();
    expect(g.admitted).toEqual(['show']);
    expect(g.gate.load().waiting.background).toBe(1);
  });

  it('keeps background calls in flight under their bound; people are not bound', async () => {
    const g = manualGate({ backgroundInFlight: 2 });
    for (let i = 1; i <= 4; i += 1) void g.ask('background', `scan-${i}`);
    void g.ask('interactive', 'list-1');
    void g.ask('interactive', 'list-2');
    await g.settle();
    expect(g.admitted).toEqual(['scan-1', 'scan-2', 'list-1', 'list-2']);
    g.gate.release('background');
    await g.settle();
    expect(g.admitted).toEqual(['scan-1', 'scan-2', 'list-1', 'list-2', 'scan-3']);
    expect(g.gate.load().inFlight).toEqual({ interactive: 2, normal: 0, background: 2 });
  });
});
