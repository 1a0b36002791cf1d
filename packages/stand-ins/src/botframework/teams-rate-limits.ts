/**
 * Teams' rate limits on bot API calls, as documented (msteams-docs bots/how-to/rate-limit.md): per bot per
 * thread 7 per 1 s, 8 per 2 s, 60 per 30 s and 1,800 per 3,600 s, for sending to a conversation and creating one;
 * and a global 30 requests per second per app per tenant. Past a limit Teams answers 429 Too Many Requests
 * ("Throttled", with when to retry after). Each window slides: a request is admitted when every window it falls
 * in, counted back from now, still has room. Refused requests are not counted (the docs say nothing either way;
 * counting them would punish a client for retrying, which the docs tell it to do).
 */

export interface RateWindow {
  limit: number;
  windowMs: number;
}

export interface TeamsRateLimitSettings {
  /** Per bot per conversation (thread). */
  perThread: readonly RateWindow[];
  /** Per app per tenant, across all its conversations. */
  perTenant: readonly RateWindow[];
}

export const TEAMS_RATE_LIMITS: TeamsRateLimitSettings = Object.freeze({
  perThread: [
    { limit: 7, windowMs: 1_000 },
    { limit: 8, windowMs: 2_000 },
    { limit: 60, windowMs: 30_000 },
    { limit: 1_800, windowMs: 3_600_000 },
  ],
  perTenant: [{ limit: 30, windowMs: 1_000 }],
});

export type RateScope = 'thread' | 'tenant';

export type RateVerdict = { admitted: true } | { admitted: false; scope: RateScope; window: RateWindow; retryAfterSeconds: number };

/** The most requests seen admitted within one window's length, against that window's limit. */
export interface ObservedWindow extends RateWindow {
  scope: RateScope;
  maxObserved: number;
}

export interface RateLimitStats {
  admitted: number;
  throttled: number;
  throttledBy: Record<RateScope, number>;
  windows: ObservedWindow[];
}

/** Admitted request times per key (a conversation or an app in a tenant), oldest first. */
class SlidingLog {
  private readonly times = new Map<string, number[]>();
  private readonly horizonMs: number;
  readonly maxObserved: number[];

  constructor(readonly windows: readonly RateWindow[]) {
    this.horizonMs = Math.max(0, ...windows.map((w) => w.windowMs));
    this.maxObserved = windows.map(() => 0);
  }

  /** The first window that has no room at `now`, and how long until it has. */
  check(key: string, now: number): { window: RateWindow; waitMs: number } | undefined {
    const times = this.pruned(key, now);
    let worst: { window: RateWindow; waitMs: number } | undefined;
    for (const window of this.windows) {
      const inWindow = times.filter((t) => t > now - window.windowMs);
      if (inWindow.length < window.limit) continue;
      // Room comes back once enough of the oldest requests in the window have slid out of it.
      const freeing = inWindow[inWindow.length - window.limit] as number;
      const waitMs = freeing + window.windowMs - now;
      if (!worst || waitMs > worst.waitMs) worst = { window, waitMs };
    }
    return worst;
  }

  record(key: string, now: number): void {
    const times = this.pruned(key, now);
    times.push(now);
    this.windows.forEach((window, i) => {
      const count = times.filter((t) => t > now - window.windowMs).length;
      this.maxObserved[i] = Math.max(this.maxObserved[i] as number, count);
    });
  }

  private pruned(key: string, now: number): number[] {
    const times = (this.times.get(key) ?? []).filter((t) => t > now - this.horizonMs);
    this.times.set(key, times);
    return times;
  }
}

export class TeamsRateLimiter {
  private readonly thread: SlidingLog;
  private readonly tenant: SlidingLog;
  private admitted = 0;
  private readonly throttledBy: Record<RateScope, number> = { thread: 0, tenant: 0 };

  constructor(settings: TeamsRateLimitSettings = TEAMS_RATE_LIMITS, private readonly now: () => number = Date.now) {
    this.thread = new SlidingLog(settings.perThread);
    this.tenant = new SlidingLog(settings.perTenant);
  }

  /** Admits (and counts) one request to `conversationId` by the app in `tenantKey`, or says why not. */
  admit(conversationId: string, tenantKey: string): RateVerdict {
    const now = this.now();
    const refusals = [
      { scope: 'thread' as const, hit: this.thread.check(conversationId, now) },
      { scope: 'tenant' as const, hit: this.tenant.check(tenantKey, now) },
    ].filter((r) => r.hit !== undefined);
    if (refusals.length > 0) {
      const worst = refusals.reduce((a, b) => ((b.hit?.waitMs ?? 0) > (a.hit?.waitMs ?? 0) ? b : a));
      const hit = worst.hit as { window: RateWindow; waitMs: number };
      this.throttledBy[worst.scope] += 1;
      // Retry-After is whole seconds; never 0, which would invite an immediate retry into the same full window.
      return { admitted: false, scope: worst.scope, window: hit.window, retryAfterSeconds: Math.max(1, Math.ceil(hit.waitMs / 1000)) };
    }
    this.thread.record(conversationId, now);
    this.tenant.record(tenantKey, now);
    this.admitted += 1;
    return { admitted: true };
  }

  stats(): RateLimitStats {
    const windows = (scope: RateScope, log: SlidingLog): ObservedWindow[] =>
      log.windows.map((w, i) => ({ scope, limit: w.limit, windowMs: w.windowMs, maxObserved: log.maxObserved[i] as number }));
    return {
      admitted: this.admitted,
      throttled: this.throttledBy.thread + this.throttledBy.tenant,
      throttledBy: { ...this.throttledBy },
      windows: [...windows('thread', this.thread), ...windows('tenant', this.tenant)],
    };
  }
}
