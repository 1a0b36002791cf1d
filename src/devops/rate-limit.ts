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

/**
 * Keeps the last rate-limit headers seen and, when a *successful* answer carries Retry-After (the service warns
 * before it starts refusing), holds the next call back that long. Failed answers are paced by the retry policy.
 */
export class RateLimitTracker {
  private latest: RateLimitSnapshot | undefined;
  private notBeforeMs = 0;

  constructor(private readonly clock: Clock) {}

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
    if (status < 300 && snapshot.retryAfterMs) {
      this.notBeforeMs = Math.max(this.notBeforeMs, this.clock.now().getTime() + snapshot.retryAfterMs);
    }
  }

  /** Wait out a Retry-After seen on an earlier success; at most once per warning. */
  async waitTurn(sleep: Sleep): Promise<void> {
    const wait = this.notBeforeMs - this.clock.now().getTime();
    this.notBeforeMs = 0;
    if (wait > 0) await sleep(wait);
  }

  current(): RateLimitSnapshot | undefined {
    return this.latest ? { ...this.latest } : undefined;
  }
}
