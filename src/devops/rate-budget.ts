/**
 * The adapter's own copy of the service's sliding-window budget (azure-devops-api-facts.md §7.6), so calls are
 * held back BEFORE the service delays or refuses them. The service says how big the budget is (X-RateLimit-Limit),
 * how much is left (X-RateLimit-Remaining) and when usage would be back to 0 (X-RateLimit-Reset: the newest unit's
 * end of window, so Reset minus now, right after an answer, is the window's length). It never says when the OLDEST
 * unit leaves the window, which is when the next call fits: that the adapter knows from its own calls.
 *
 * So every answered call is kept with the instant its answer arrived (never earlier than the service counted it).
 * TSTUs per request are not published, so the cost of a call is read off the headers: the service has counted
 * limit - remaining units while our calls in its window are the answered ones (this one included); the calls
 * that fit are limit / that cost. Against the emulator (one unit a request) that is the limit itself; against the service,
 * where a list costs a fraction of a TSTU, many more. Units another tool spent with the same identity raise the
 * cost seen, which only makes the adapter more careful. An answer without the headers means the service is not
 * near its limit (it sends them only then): the budget is forgotten until they come back.
 *
 * Not bottleneck (its reservoir refills on a fixed interval, last release 2019) nor p-queue's interval (a fixed
 * window lets twice the cap through across a boundary): neither models a sliding window learnt from headers.
 */
import type { RateLimitSnapshot } from './rate-limit-headers';

/** The documented window (facts §7.6: 200 TSTU per sliding 5 minutes), until Reset says otherwise. */
export const DOCUMENTED_WINDOW_MS = 300_000;
/** Answers kept at most: more than any limit the service sends, so a long run does not grow without end. */
const MAX_KEPT = 5_000;

export type BudgetWait = { kind: 'go' } | { kind: 'sleep'; ms: number } | { kind: 'answer' };

export class RateBudget {
  private limit: number | undefined;
  private windowMs: number | undefined;
  /** When each answered call's answer arrived (epoch ms), oldest first. */
  private readonly answered: number[] = [];
  private inFlight = 0;
  /** How many of our calls fit in the window, from the cost the last headers imply; undefined: no limit near. */
  private callCap: number | undefined;

  /** Folds in an answer's headers; the call that got it is still in flight (it settles after). */
  learn(snapshot: RateLimitSnapshot, nowMs: number): void {
    const { limit, remaining, resetAt } = snapshot;
    if (limit === undefined || remaining === undefined || limit <= 0) return;
    const reset = resetAt === undefined ? undefined : Date.parse(resetAt);
    // Reset is whole seconds, rounded up: the smallest Reset - now seen is the closest to the window's length.
    if (reset !== undefined && reset > nowMs) this.windowMs = Math.min(this.windowMs ?? Number.POSITIVE_INFINITY, reset - nowMs);
    this.prune(nowMs);
    const spent = Math.min(limit, Math.max(0, limit - remaining));
    // The service counts a call as it answers it: ours in its count are the answered ones and this one, not the
    // others in flight (counting those would make each call look cheaper than it is).
    const ours = this.answered.length + 1;
    this.callCap = spent === 0 ? undefined : Math.max(1, Math.floor((limit * ours) / spent));
  }

  /** An answer without rate-limit headers: the service is not near its limit (it sends them before it delays). */
  forget(): void {
    this.callCap = undefined;
  }

  start(): void {
    this.inFlight += 1;
  }

  /** A call ended, answered or not: it counts as spent from now (a refused or lost one too, to be safe). */
  settle(nowMs: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.answered.push(nowMs);
    if (this.answered.length > MAX_KEPT) this.answered.splice(0, this.answered.length - MAX_KEPT);
  }

  /** Whether one more call fits under `share` of the budget now; if not, how long until one does, or "after an answer". */
  wait(nowMs: number, share = 1): BudgetWait {
    if (this.callCap === undefined) return { kind: 'go' };
    this.prune(nowMs);
    const cap = Math.max(1, Math.floor(this.callCap * share));
    const used = this.answered.length + this.inFlight;
    if (used < cap) return { kind: 'go' };
    // Calls leave the window in the order they were answered: the (used - cap)th one makes room.
    const freeing = this.answered[used - cap];
    return freeing === undefined ? { kind: 'answer' } : { kind: 'sleep', ms: Math.max(1, freeing + this.expiryMs() - nowMs) };
  }

  private window(): number {
    return this.windowMs ?? DOCUMENTED_WINDOW_MS;
  }

  /** The window plus a margin for the network between the service's count and our answer, and the clock's grain. */
  private expiryMs(): number {
    const window = this.window();
    return window + Math.max(10, Math.round(window * 0.01));
  }

  private prune(nowMs: number): void {
    const cutoff = nowMs - this.expiryMs();
    let gone = 0;
    while (gone < this.answered.length && (this.answered[gone] ?? 0) <= cutoff) gone += 1;
    if (gone > 0) this.answered.splice(0, gone);
  }
}
