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
/** A call whose cost, read off the headers, is under this many units is cheap (a fraction of a TSTU). */
const CHEAP = 0.8;

export type BudgetWait = { kind: 'go' } | { kind: 'sleep'; ms: number } | { kind: 'answer' };

export class RateBudget {
  private limit: number | undefined;
  /** The longest the window may be, from X-RateLimit-Reset; and the shortest. */
  private windowMs: number | undefined;
  private shortestWindowMs: number | undefined;
  /** When each answered call's answer arrived (epoch ms), oldest first. */
  private readonly answered: number[] = [];
  /** The same for the calls the service accepted (a refusal spends nothing there), to read the cost of one. */
  private readonly accepted: number[] = [];
  private inFlight = 0;
  /** How many of our calls fit in the window, from the cost the last headers imply; undefined: no limit near. */
  private callCap: number | undefined;
  /** The last Reset seen and when: every call answered by then has left the window at Reset, whatever its length. */
  private reset = { atMs: Number.NEGATIVE_INFINITY, seenAtMs: Number.NEGATIVE_INFINITY };

  /** Folds in an answer's headers; the call that got it is still in flight (it settles after). */
  learn(snapshot: RateLimitSnapshot, nowMs: number): void {
    const { limit, remaining, resetAt } = snapshot;
    if (limit === undefined || remaining === undefined || limit <= 0) return;
    const reset = resetAt === undefined ? undefined : Date.parse(resetAt);
    if (snapshot.status < 300 && reset !== undefined && reset > nowMs) this.learnWindow(reset - nowMs);
    if (reset !== undefined) this.reset = { atMs: reset, seenAtMs: nowMs };
    this.prune(nowMs);
    const spent = Math.min(limit, Math.max(0, limit - remaining));
    // The service counts a call as it answers it: ours in its count are the accepted ones and this one, not the
    // others in flight. Which of ours it still counts depends on the window's exact length, so the cost of a call is
    // bracketed: `high` matches only calls surely inside the window, `low` every call we keep. A cheap call (high
    // well under one unit) fits `limit / high` times; otherwise a call is taken as at least one unit, and more when
    // even `low` says so (someone else spends with the same identity). One call less, for the window's edge.
    const inWindow = (since: number) => this.accepted.filter((at) => at > since).length + 1;
    const high = spent / inWindow(nowMs - (this.shortestWindowMs ?? this.window()) + this.marginMs());
    const low = spent / inWindow(nowMs - this.expiryMs());
    const cost = high < CHEAP ? high : Math.max(1, low);
    this.callCap = spent === 0 ? undefined : Math.max(1, Math.floor(limit / cost) - 1);
  }

  /**
   * Reset is whole seconds, rounded up, and the answered call's unit is the newest: Reset - now is the window plus
   * up to a second. The smallest seen is the longest the window may be (how long our calls are kept); the largest
   * seen, less a second, the shortest (over which our calls are matched with the service's count). Only an accepted
   * call says it: a refusal's Reset dates from the last accepted one.
   */
  private learnWindow(resetInMs: number): void {
    this.windowMs = Math.min(this.windowMs ?? Number.POSITIVE_INFINITY, resetInMs);
    this.shortestWindowMs = Math.min(this.windowMs, Math.max(this.shortestWindowMs ?? 0, resetInMs - 1_000));
  }

  /** An answer without rate-limit headers: the service is not near its limit (it sends them before it delays). */
  forget(): void {
    this.callCap = undefined;
  }

  start(): void {
    this.inFlight += 1;
  }

  /**
   * A call ended, answered or not: it holds a place in the window from now (a refused or lost one too, to be
   * safe); `accepted` is false for a refusal (429), which the service does not count.
   */
  settle(nowMs: number, accepted = true): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.answered.push(nowMs);
    if (accepted) this.accepted.push(nowMs);
    for (const list of [this.answered, this.accepted]) if (list.length > MAX_KEPT) list.splice(0, list.length - MAX_KEPT);
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
    return freeing === undefined ? { kind: 'answer' } : { kind: 'sleep', ms: Math.max(1, this.leavesAt(freeing) - nowMs) };
  }

  private window(): number {
    return this.windowMs ?? DOCUMENTED_WINDOW_MS;
  }

  /** The window plus a margin for the network between the service's count and our answer, and the clock's grain. */
  private expiryMs(): number {
    return this.window() + this.marginMs();
  }

  private marginMs(): number {
    return Math.max(25, Math.round(this.window() * 0.01));
  }

  /** When a call answered at `at` leaves the window: a window after it, or at the Reset seen after it if sooner. */
  private leavesAt(at: number): number {
    const byWindow = at + this.expiryMs();
    return at <= this.reset.seenAtMs ? Math.min(byWindow, this.reset.atMs + this.marginMs()) : byWindow;
  }

  private prune(nowMs: number): void {
    for (const list of [this.answered, this.accepted]) {
      let gone = 0;
      while (gone < list.length && this.leavesAt(list[gone] ?? 0) <= nowMs) gone += 1;
      if (gone > 0) list.splice(0, gone);
    }
  }
}
