import type { IncomingHttpHeaders } from 'node:http';
import { type Clock, systemClock, type Sleep } from '../domain/time';
import { CallGate, type CallGateOptions } from './call-gate';
import type { CallRecord } from './rate-budget';
import { readRateLimitHeaders, type RateLimitSnapshot } from './rate-limit-headers';

export type { RateLimitSnapshot } from './rate-limit-headers';

export interface RateLimitOptions {
  /** A pause longer than this is not shared: such calls fail fast with DEVOPS.THROTTLED instead (default 60 s). */
  maxPauseMs?: number;
  /** How calls wait for the budget (injectable so tests record the waits). */
  sleep?: Sleep;
  /** Priority lanes and the background bounds (call-gate.ts). */
  lanes?: CallGateOptions;
  /** [0, 1) for the jitter added to a pause, so paused callers do not all return at once; injectable for tests. */
  random?: () => number;
}

/**
 * Keeps the last rate-limit headers seen and one adapter-wide "not before" instant. A 429's Retry-After (or
 * X-RateLimit-Delay), and a Retry-After on a success (the service warns before it refuses), pause EVERY caller's
 * next attempt, not just the one that was told: concurrent workers would otherwise keep hammering a throttled
 * service. Before that ever happens, the gate (call-gate.ts) paces calls from X-RateLimit-Limit / -Remaining /
 * -Reset so the budget is spread over the window instead of spent in a burst and refused.
 */
export class RateLimitTracker {
  /** Every call of the adapter passes it: admit before the attempt, release once it is answered. */
  readonly gate: CallGate;
  private latest: RateLimitSnapshot | undefined;
  private notBeforeMs = 0;
  /** Bumped on every pause, so a caller that waited one pause still waits the next (even on a frozen test clock). */
  private generation = 0;
  private readonly maxPauseMs: number;

  constructor(private readonly clock: Clock, private readonly options: RateLimitOptions = {}) {
    this.maxPauseMs = options.maxPauseMs ?? 60_000;
    this.gate = new CallGate(() => clock.now().getTime(), options.sleep ?? systemClock.sleep, options.lanes);
  }

  /** `call`: the admitted call this answer is for, when known (rate-budget.ts reads when it was sent). */
  observe(status: number, headers: IncomingHttpHeaders, call?: CallRecord): void {
    const snapshot = readRateLimitHeaders(status, headers, this.clock.now());
    if (snapshot?.limit === undefined && snapshot?.remaining === undefined && status < 300) this.gate.forget();
    if (!snapshot) return;
    this.latest = snapshot;
    this.gate.learn(snapshot, call);
    const pause = status === 429 ? snapshot.retryAfterMs ?? snapshot.delayMs : status < 300 ? snapshot.retryAfterMs : undefined;
    if (pause && pause <= this.maxPauseMs) {
      this.notBeforeMs = Math.max(this.notBeforeMs, this.clock.now().getTime() + pause);
      this.generation += 1;
    }
  }

  /**
   * Called before every attempt of every call. Waits out a pause this caller has not yet waited for (`served` is
   * what the previous call of waitTurn returned, 0 at first).
   */
  async waitTurn(sleep: Sleep, served = 0): Promise<number> {
    const pending = this.generation > served ? this.notBeforeMs - this.clock.now().getTime() : 0;
    if (pending > 0) await sleep(Math.round(pending * (1 + 0.1 * (this.options.random ?? Math.random)())));
    return this.generation;
  }

  current(): RateLimitSnapshot | undefined {
    return this.latest ? { ...this.latest } : undefined;
  }
}
