/**
 * Who goes next when the rate budget (rate-budget.ts) is short: one gate per adapter, so per identity and
 * organization, shared by every caller. Three lanes:
 * - interactive: a person waits on the answer (a turn's `list` / `show`, the approval's stale check);
 * - normal: the execution of an approved plan — a person asked for it and watches a progress card, but it is
 *   bulk work, so it gives way to turns and goes before the radar;
 * - background: the alerts radar's scan, which nobody waits on.
 * A waiting call never lets a lower lane pass it. Background calls also stay under a share of the budget (the rest
 * is kept for people) and under a bound on how many are in flight at once, so a scan of 10,000 connections never
 * fills the service's queue ahead of a person's turn.
 */
import { RateBudget, type CallRecord } from './rate-budget';
import type { RateLimitSnapshot } from './rate-limit-headers';
import { type Sleep } from '../domain/time';

export type Lane = 'interactive' | 'normal' | 'background';

const ORDER: readonly Lane[] = ['interactive', 'normal', 'background'];

export interface CallGateOptions {
  /** Background calls in flight at once (default 4). */
  backgroundInFlight?: number;
  /** The share of the budget background calls may use (default 0.8): the rest is kept for people and plans. */
  backgroundShare?: number;
}

export class CallGate {
  private readonly budget = new RateBudget();
  private readonly waiting: Record<Lane, number> = { interactive: 0, normal: 0, background: 0 };
  private readonly inFlight: Record<Lane, number> = { interactive: 0, normal: 0, background: 0 };
  private wake: { promise: Promise<void>; resolve: () => void } = deferred();
  private readonly backgroundInFlight: number;
  private readonly backgroundShare: number;

  constructor(private readonly now: () => number, private readonly sleep: Sleep, options: CallGateOptions = {}) {
    this.backgroundInFlight = Math.max(1, options.backgroundInFlight ?? 4);
    this.backgroundShare = options.backgroundShare ?? 0.8;
  }

  /** `call`: the admitted call whose answer brought the headers, when known (it says when that call was sent). */
  learn(snapshot: RateLimitSnapshot, call?: CallRecord): void {
    this.budget.learn(snapshot, this.now(), call);
  }

  /** A success without X-RateLimit-*: the service is not near its limit. */
  forget(): void {
    this.budget.forget();
    this.signal();
  }

  /** Resolves when a call of `lane` may start, with its place in the budget; pair every admit with one release. */
  async admit(lane: Lane): Promise<CallRecord> {
    this.waiting[lane] += 1;
    try {
      for (;;) {
        const blocked = this.blocked(lane);
        if (blocked === undefined) break;
        // A timed wait for the budget; anything else (a higher lane, the background bound) waits for a change.
        if (blocked > 0) await this.sleep(blocked);
        else await this.wake.promise;
      }
    } catch (error) {
      this.waiting[lane] -= 1;
      this.signal();
      throw error;
    }
    this.waiting[lane] -= 1;
    this.inFlight[lane] += 1;
    const call = this.budget.start(this.now());
    // Lower lanes waiting behind this call look again.
    this.signal();
    return call;
  }

  /**
   * `accepted` is false when the service refused the call (429): it spent nothing of the budget there. `call`: what
   * admit gave (without it, the oldest call in flight).
   */
  release(lane: Lane, accepted = true, call?: CallRecord): void {
    this.inFlight[lane] = Math.max(0, this.inFlight[lane] - 1);
    this.budget.settle(this.now(), accepted, call);
    this.signal();
  }

  /** Calls of each lane in flight and waiting, for logs and tests. */
  load(): { inFlight: Record<Lane, number>; waiting: Record<Lane, number> } {
    return { inFlight: { ...this.inFlight }, waiting: { ...this.waiting } };
  }

  /** undefined: go now; > 0: sleep that long; 0: wait until something changes (an answer, a call admitted). */
  private blocked(lane: Lane): number | undefined {
    if (ORDER.slice(0, ORDER.indexOf(lane)).some((higher) => this.waiting[higher] > 0)) return 0;
    const background = lane === 'background';
    if (background && this.inFlight.background >= this.backgroundInFlight) return 0;
    const wait = this.budget.wait(this.now(), background ? this.backgroundShare : 1);
    if (wait.kind === 'go') return undefined;
    return wait.kind === 'sleep' ? wait.ms : 0;
  }

  private signal(): void {
    const woken = this.wake;
    this.wake = deferred();
    woken.resolve();
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}
