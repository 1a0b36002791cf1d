import type { IncomingHttpHeaders } from 'node:http';

/** The service's latest rate-limit headers (azure-devops-api-facts.md §7.6), for callers that pace bulk work. */
export interface RateLimitSnapshot {
  resource?: string;
  /** TSTUs allowed in the window (X-RateLimit-Limit). */
  limit?: number;
  /** TSTUs left (X-RateLimit-Remaining). */
  remaining?: number;
  /** When usage would be back to 0 if every call stopped now (X-RateLimit-Reset, epoch seconds), as ISO. */
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

/** The rate-limit headers of one answer; undefined when it carried none. */
export function readRateLimitHeaders(status: number, headers: IncomingHttpHeaders, observedAt: Date): RateLimitSnapshot | undefined {
  const reset = number(headers, 'x-ratelimit-reset');
  const snapshot: RateLimitSnapshot = {
    resource: header(headers, 'x-ratelimit-resource'),
    limit: number(headers, 'x-ratelimit-limit'),
    remaining: number(headers, 'x-ratelimit-remaining'),
    resetAt: reset === undefined ? undefined : new Date(reset * 1000).toISOString(),
    retryAfterMs: secondsToMs(number(headers, 'retry-after')),
    delayMs: secondsToMs(number(headers, 'x-ratelimit-delay')),
    status,
    observedAt: observedAt.toISOString(),
  };
  const seen = [snapshot.resource, snapshot.limit, snapshot.remaining, snapshot.resetAt, snapshot.retryAfterMs, snapshot.delayMs];
  return seen.every((v) => v === undefined) ? undefined : snapshot;
}
