import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../domain/clock';
import type { Sleep } from './resilience';

/** The service's latest rate-limit headers (azure-devops-api-facts.md §7.6), for callers that pace bulk work. */
export interface RateLimitSnapshot {
  resource?: string;
  /** TSTUs allowed in the window (X-RateLimit-Limit). */
  limit?: number;
  /** TSTUs left (X-RateLimit-Remaining). */
  remaining?: number;
  /** When the window resets (X-RateLimit-Reset, epoch seconds), as ISO. */
  resetAt?: string;
  retryAfterMs?: number;
  /** How long the service delayed this request (X-RateLimit-Delay). */
  delayMs?: number;
  status: number;
  observedAt: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function number(headers: IncomingHttpHeaders, name: string): number | undefined {
  const raw = header(headers, name);
  const n = raw === undefined ? Number.NaN : Number.parseFloat(raw);
  return Number.isFinite(n) ? n : undefined;
}

function secondsToMs(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value * 1000);
}

export interface RateLimitOptions {
  /** A pause longer than this is not shared: such calls fail fast with DEVOPS.THROTTLED instead (default 60 s). */
  maxPauseMs?: number;
  /** Below this share of X-RateLimit-Limit left, calls are spaced out (default 0.1). */
  slowBelow?: number;
  /** The longest turn between two calls while slowed (default 250 ms). */
  maxSpacingMs?: number;
  /** [0, 1) for the jitter added to a pause, so paused callers do not all return at once; injectable for tests. */
  random?: () => number;
}

/**
 * Keeps the last rate-limit headers seen and one adapter-wide "not before" instant. A 429's Retry-After (or
 * X-RateLimit-Delay), and a Retry-After on a success (the service warns before it refuses), pause EVERY caller's
 * next attempt, not just the one that was told: concurrent workers would otherwise keep hammering a throttled
 * service. When X-RateLimit-Remaining is nearly spent, calls are spaced out over what is left of the window.
 */
export class RateLimitTracker {
  private latest: RateLimitSnapshot | undefined;
  private notBeforeMs = 0;
  /** While the budget is nearly spent, calls take turns: the earliest instant the next one may go. */
  private nextSlotMs = 0;
  /** Bumped on every pause, so a caller that waited one pause still waits the next (even on a frozen test clock). */
  private generation = 0;
  private readonly maxPauseMs: number;

  constructor(private readonly clock: Clock, private readonly options: RateLimitOptions = {}) {
    this.maxPauseMs = options.maxPauseMs ?? 60_000;
  }

  observe(status: number, headers: IncomingHttpHeaders): void {
    const reset = number(headers, 'x-ratelimit-reset');
    const snapshot: RateLimitSnapshot = {
      resource: header(headers, 'x-ratelimit-resource'),
      limit: number(headers, 'x-ratelimit-limit'),
      remaining: number(headers, 'x-ratelimit-remaining'),
      resetAt: reset === undefined ? undefined : new Date(reset * 1000).toISOString(),
      retryAfterMs: secondsToMs(number(headers, 'retry-after')),
      delayMs: secondsToMs(number(headers, 'x-ratelimit-delay')),
      status,
      observedAt: this.clock.now().toISOString(),
    };
    const seen = [snapshot.resource, snapshot.limit, snapshot.remaining, snapshot.resetAt, snapshot.retryAfterMs, snapshot.delayMs];
    if (seen.every((v) => v === undefined)) return;
    this.latest = snapshot;
    const pause = status === 429 ? snapshot.retryAfterMs ?? snapshot.delayMs : status < 300 ? snapshot.retryAfterMs : undefined;
    if (pause && pause <= this.maxPauseMs) {
      this.notBeforeMs = Math.max(this.notBeforeMs, this.clock.now().getTime() + pause);
      this.generation += 1;
    }
  }

  /**
   * Called before every attempt of every call. Waits out a pause this caller has not yet waited for (`served` is
   * what the previous call of waitTurn returned, 0 at first) and the spacing when the budget is nearly spent.
   */
  async waitTurn(sleep: Sleep, served = 0): Promise<number> {
    const now = this.clock.now().getTime();
    const pending = this.generation > served ? this.notBeforeMs - now : 0;
    const pause = pending > 0 ? Math.round(pending * (1 + 0.1 * (this.options.random ?? Math.random)())) : 0;
    let wait = pause;
    const spacing = this.spacingMs(now);
    if (spacing > 0) {
      // One queue of turns across every caller: spacing each caller on its own would still let them all go at once.
      const slot = Math.max(now + pause, this.nextSlotMs);
      this.nextSlotMs = slot + spacing;
      wait = slot - now;
    }
    if (wait > 0) await sleep(wait);
    return this.generation;
  }

  /** What is left of the window shared out over what is left of the budget, capped so no call is stalled. */
  private spacingMs(now: number): number {
    const { limit, remaining, resetAt } = this.latest ?? {};
    if (limit === undefined || remaining === undefined || resetAt === undefined || limit <= 0) return 0;
    if (remaining >= limit * (this.options.slowBelow ?? 0.1)) return 0;
    const windowLeft = Date.parse(resetAt) - now;
    if (windowLeft <= 0) return 0;
    return Math.min(this.options.maxSpacingMs ?? 250, Math.round(windowLeft / Math.max(1, remaining)));
  }

  current(): RateLimitSnapshot | undefined {
    return this.latest ? { ...this.latest } : undefined;
  }
}
