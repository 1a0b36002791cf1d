/**
 * The adapter's own copy of the service's sliding-window budget (azure-devops-api-facts.md §7.6), so calls are
 * held back BEFORE the service delays or refuses them. The service says how big the budget is (X-RateLimit-Limit),
 * how much is left (X-RateLimit-Remaining) and when usage would be back to 0 (X-RateLimit-Reset: the newest unit's
 * end of window, in whole seconds). It never says when the OLDEST unit leaves the window, which is when the next
 * call fits: that the adapter knows from its own calls.
 *
 * The service counts a call somewhere between the instant it was sent and the instant its answer arrived. So every
 * call is kept with both: it holds a place from when it is sent, and leaves the window when a call sent then would
 * be counted after it has left. Two spacings say when that is:
 * - the window from Reset. Reset is at least the count instant plus the window, and the count comes after the call
 *   was sent: Reset minus the send instant is never shorter than the window (it is longer by the way there and by
 *   Reset's rounding up to a second), so it is safe from the first answer;
 * - the spacing read off Remaining, once calls leave the window: when a call is counted, the service holds
 *   `limit - remaining` units, so when a call costs a unit or more, the ones we sent more than that many calls
 *   earlier have left its window — the start-to-start spacing that empties a place. It is shorter than the first by
 *   the way there (the old call and the new one both travel it) and has no rounding, so a turnover of the window
 *   loses only the margin. It takes calls to be counted in the order they were sent (in the same millisecond: in
 *   the order admitted), and a call whose round trip was longer than the shortest as counted that much later. It
 *   is read only when calls cost a unit or more (cheap calls, a fraction of a TSTU, keep the first), only off calls
 *   sent since the service first named its limit, and a reading under the shortest window Reset allows is dropped.
 *
 * TSTUs per request are not published, so the cost of a call is read off the headers: the service has counted
 * limit - remaining units while our calls in its window are the answered ones (this one included); the calls
 * that fit are limit / that cost. Against the emulator (one unit a request) that is the limit itself; against the service,
 * where a list costs a fraction of a TSTU, many more. Units another tool spent with the same identity raise the
 * cost seen, which only makes the adapter more careful. An answer without the headers means the service is not
 * near its limit (it sends them only then): the others' units are taken as gone, ours still count.
 *
 * Not bottleneck (its reservoir refills on a fixed interval, last release 2019) nor p-queue's interval (a fixed
 * window lets twice the cap through across a boundary): neither models a sliding window learnt from headers.
 */
import type { RateLimitSnapshot } from './rate-limit-headers';

/** The documented window (facts §7.6: 200 TSTU per sliding 5 minutes), until Reset says otherwise. */
export const DOCUMENTED_WINDOW_MS = 300_000;
/** Calls kept at most: more than any limit the service sends, so a long run does not grow without end. */
const MAX_KEPT = 5_000;
/** A call whose cost, read off the headers, is under this many units is cheap (a fraction of a TSTU). */
const CHEAP = 0.8;
/** Round trips kept for the shortest of them (a recent one: the way to the service may change). */
const RTT_KEPT = 64;

export type BudgetWait = { kind: 'go' } | { kind: 'sleep'; ms: number } | { kind: 'answer' };

/** One call: when it was sent (unknown for a caller that does not say) and answered, and whether it was refused. */
export interface CallRecord {
  readonly startedAtMs: number | undefined;
  /** The order calls were sent in (two sent in the same millisecond are still one after the other). */
  readonly seq: number;
  answeredAtMs: number | undefined;
  refused: boolean;
}

export class RateBudget {
  /** The longest the window may be, from X-RateLimit-Reset; and the shortest. */
  private windowMs: number | undefined;
  private shortestWindowMs: number | undefined;
  /** The start-to-start spacing that empties a place, read off Remaining (undefined until a call left the window). */
  private spacingMs: number | undefined;
  /** Every call that may still hold a place in the window, in the order sent: in flight, then answered. */
  private calls: CallRecord[] = [];
  /** The latest round trips (send to answer) and the shortest of them: the way there and back when nothing waits. */
  private readonly rtts: number[] = [];
  /** How many calls were started: the next call's `seq`. */
  private started = 0;
  private rttMinMs = 0;
  /** The last X-RateLimit-Limit. */
  private limit: number | undefined;
  /** How many of our calls fit in the window, from the cost the last headers imply; undefined: no limit seen yet. */
  private callCap: number | undefined;
  /** When the oldest call the service counted, as it first named its limit, was sent: spacing is read off later calls only. */
  private limitedSinceMs = Number.POSITIVE_INFINITY;
  /** The last Reset seen: every call answered before the call that brought it was sent has left the window by then. */
  private reset = { atMs: Number.NEGATIVE_INFINITY, coversAnsweredBeforeMs: Number.NEGATIVE_INFINITY };

  /**
   * Folds in an answer's headers; the call that got it (what start gave, if the caller knows) is still in flight: it
   * settles after. Without it, the answer's instant stands in for when it was sent, which is less careful.
   */
  learn(snapshot: RateLimitSnapshot, nowMs: number, call?: CallRecord): void {
    const { limit, remaining, resetAt } = snapshot;
    if (limit === undefined || remaining === undefined || limit <= 0) return;
    this.limit = limit;
    const reset = resetAt === undefined ? undefined : Date.parse(resetAt);
    const sent = Math.min(call?.startedAtMs ?? nowMs, nowMs);
    if (snapshot.status < 300 && reset !== undefined && reset > nowMs) this.learnWindow(reset, sent, nowMs);
    if (reset !== undefined) this.reset = { atMs: reset, coversAnsweredBeforeMs: sent };
    const spent = Math.min(limit, Math.max(0, limit - remaining));
    if (this.limitedSinceMs === Number.POSITIVE_INFINITY) this.limitedSinceMs = this.nthNewestSent(Math.max(1, spent), call?.seq ?? Number.POSITIVE_INFINITY) ?? Number.NEGATIVE_INFINITY;
    // Before the calls that left by now are dropped: the service counted this one a while ago.
    if (snapshot.status < 300 && call?.startedAtMs !== undefined && spent >= this.surelyCounted(call.startedAtMs, nowMs)) this.learnSpacing(spent, call.seq, nowMs);
    this.prune(nowMs);
    // The service counts a call as it answers it: ours in its count are the accepted ones and this one, not the
    // others in flight. Which of ours it still counts depends on the window's exact length, so the cost of a call is
    // bracketed: `high` matches only calls surely inside the window, `low` every call we keep. A cheap call (high
    // well under one unit) fits `limit / high` times; otherwise a call is taken as at least one unit, and more when
    // even `low` says so (someone else spends with the same identity). One call less, for the window's edge.
    const inWindow = (since: number) => this.calls.filter((c) => isAcceptedAnswer(c) && c.answeredAtMs > since).length + 1;
    const high = spent / inWindow(nowMs - (this.shortestWindowMs ?? this.window()) + this.marginMs());
    const low = spent / inWindow(nowMs - this.window() - this.marginMs());
    const cost = high < CHEAP ? high : Math.max(1, low);
    this.callCap = spent === 0 ? undefined : Math.max(1, Math.floor(limit / cost) - 1);
  }

  /**
   * Reset is whole seconds, rounded up, and the answered call's unit is the newest: Reset is the count instant plus
   * the window plus up to a second, and the count falls between the send and the answer. So Reset - sent is never
   * shorter than the window (the smallest seen is how long a call is kept), and Reset - answer, less a second, never
   * longer (the largest seen, the shortest it may be, over which our calls are matched with the service's count).
   * Only an accepted call says it: a refusal's Reset dates from the last accepted one.
   */
  private learnWindow(resetMs: number, sentMs: number, nowMs: number): void {
    this.windowMs = Math.min(this.windowMs ?? Number.POSITIVE_INFINITY, resetMs - sentMs);
    this.shortestWindowMs = Math.min(this.windowMs, Math.max(this.shortestWindowMs ?? 0, resetMs - nowMs - 1_000));
  }

  /**
   * Our calls the service surely counts, inside its window, as it counts the one sent at `sentMs`: answered before
   * that one was sent and sent within the shortest the window may be; and that one. When `spent` is at least that,
   * a call costs a unit or more.
   */
  private surelyCounted(sentMs: number, nowMs: number): number {
    const since = nowMs - (this.shortestWindowMs ?? this.window()) + this.marginMs();
    return this.calls.filter((c) => isAcceptedAnswer(c) && c.answeredAtMs <= sentMs && c.startedAtMs !== undefined && c.startedAtMs > since).length + 1;
  }

  /**
   * The service holds `spent` units as it counts call `seq`. A call costing a unit or more, the
   * service holds at most `spent` of ours: of the calls sent up to then (refusals aside, they spend nothing), the
   * (spent + 1)th newest has left, so a place empties at most that long after a call was sent.
   */
  private learnSpacing(spent: number, seq: number, nowMs: number): void {
    const left = this.nthNewestSent(Math.floor(spent) + 1, seq);
    // Calls sent before those the service counted when it first named its limit may be in another budget, or
    // before a count afresh: only later ones say when a call leaves.
    if (left === undefined || left < this.limitedSinceMs) return;
    // That call was counted once it was sent, ours no earlier than the shortest way there and back before now.
    const spacing = nowMs - this.rttMinMs - left;
    // Under what Reset allows, the calls were not counted in the order sent (this is no departure): nothing learnt.
    if (spacing < (this.shortestWindowMs ?? 0) - this.marginMs()) return;
    this.spacingMs = Math.min(this.spacingMs ?? Number.POSITIVE_INFINITY, spacing);
  }

  /** When the nth newest call up to call `seq` was sent (refusals aside: they spend nothing), if we still keep it. */
  private nthNewestSent(n: number, seq: number): number | undefined {
    let newer = 0;
    for (let i = this.calls.length - 1; i >= 0; i -= 1) {
      const call = this.calls[i];
      if (!call || call.refused || call.startedAtMs === undefined || call.seq > seq) continue;
      newer += 1;
      if (newer === n) return call.startedAtMs;
    }
    return undefined;
  }

  /**
   * An answer without rate-limit headers: the service is not near its limit (it sends them before it delays). Its
   * window still holds our recent calls, though, and workers let go at once would pass the limit before the next
   * headers came back: calls stay counted, and the budget is only widened to the full limit at a unit a call (what
   * someone else spent with the same identity is taken as gone).
   */
  forget(): void {
    if (this.callCap !== undefined && this.limit !== undefined) this.callCap = Math.max(this.callCap, this.limit);
  }

  /** A call is sent (at `nowMs`, when the caller says): it holds a place until it leaves the window. */
  start(nowMs?: number): CallRecord {
    this.started += 1;
    const call: CallRecord = { startedAtMs: nowMs, seq: this.started, answeredAtMs: undefined, refused: false };
    this.calls.push(call);
    if (this.calls.length > MAX_KEPT) this.calls.splice(0, this.calls.length - MAX_KEPT);
    return call;
  }

  /**
   * A call ended, answered or not (a lost one holds its place too, to be safe); `accepted` is false for a refusal
   * (429), which the service does not count. Without `call`, the oldest in flight.
   */
  settle(nowMs: number, accepted = true, call?: CallRecord): void {
    const settled = call ?? this.calls.find((c) => c.answeredAtMs === undefined);
    if (!settled || settled.answeredAtMs !== undefined) return;
    settled.answeredAtMs = nowMs;
    settled.refused = !accepted;
    if (settled.startedAtMs !== undefined) {
      this.rtts.push(nowMs - settled.startedAtMs);
      if (this.rtts.length > RTT_KEPT) this.rtts.shift();
      this.rttMinMs = Math.min(...this.rtts);
    }
  }

  /** Whether one more call fits under `share` of the budget now; if not, how long until one does, or "after an answer". */
  wait(nowMs: number, share = 1): BudgetWait {
    if (this.callCap === undefined) return { kind: 'go' };
    this.prune(nowMs);
    const cap = Math.max(1, Math.floor(this.callCap * share));
    const used = this.calls.length;
    if (used < cap) return { kind: 'go' };
    // (used - cap + 1) answered calls must leave; they leave about in the order they were sent.
    let needed = used - cap + 1;
    for (const call of this.calls) {
      if (call.answeredAtMs === undefined) continue;
      needed -= 1;
      if (needed === 0) return { kind: 'sleep', ms: Math.max(1, this.leavesAt(call) - nowMs) };
    }
    return { kind: 'answer' };
  }

  private window(): number {
    return this.windowMs ?? DOCUMENTED_WINDOW_MS;
  }

  /** For the network between the service's count and our clock, and the clock's grain: 1% of the window, at least 25 ms. */
  private marginMs(): number {
    return Math.max(25, Math.round(this.window() * 0.01));
  }

  /**
   * When a call leaves the window: the spacing after it was counted, or at the Reset of a later call if sooner. It
   * was counted no later than the shortest way back before its answer: a call that waited on its way there (its
   * round trip is longer) is taken as counted that much later, so a slow one never leaves early.
   */
  private leavesAt(call: CallRecord): number {
    if (call.answeredAtMs === undefined) return Number.POSITIVE_INFINITY;
    const spacing = Math.min(this.spacingMs ?? Number.POSITIVE_INFINITY, this.window());
    const counted = call.startedAtMs === undefined ? call.answeredAtMs : Math.max(call.startedAtMs, call.answeredAtMs - this.rttMinMs);
    const byWindow = counted + spacing + this.marginMs();
    return call.answeredAtMs <= this.reset.coversAnsweredBeforeMs ? Math.min(byWindow, this.reset.atMs + this.marginMs()) : byWindow;
  }

  private prune(nowMs: number): void {
    if (!this.calls.some((c) => this.leavesAt(c) <= nowMs)) return;
    this.calls = this.calls.filter((c) => this.leavesAt(c) > nowMs);
  }
}

/** A call the service answered and counted (a refusal spends nothing). */
function isAcceptedAnswer(call: CallRecord): call is CallRecord & { answeredAtMs: number } {
  return !call.refused && call.answeredAtMs !== undefined;
}
