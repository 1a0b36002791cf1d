/**
 * Fault injection a test controls per request: latency, a rate-limit budget (429 + TF400733 + X-RateLimit-*,
 * facts §7.6), a scripted answer for the Nth matching request, a reset connection, a request that never answers.
 */
import type { Clock } from '../clock';

export interface RequestMatch {
  method?: string;
  /** Tested against the URL path only (no query string). */
  path?: RegExp;
  /** 1-based: the fault fires on the Nth request that matches, once. Default 1. */
  nth?: number;
}

export interface ScriptedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RateLimitSettings {
  limit: number;
  windowMs: number;
  retryAfterSeconds: number;
  /**
   * [infer] The share of the limit spent from which X-RateLimit-* go on answers (default 0.5). The service sends
   * them "before requests start getting delayed" (facts §7.6), not on every answer; how early is not documented.
   */
  headersFrom?: number;
}

export interface FaultController {
  setLatency(ms: number, jitterMs?: number): void;
  setRateLimit(settings: RateLimitSettings | null): void;
  /** How many requests the rate limit refused (429) since it was last set. */
  refusals(): number;
  scriptResponse(match: RequestMatch, response: ScriptedResponse): void;
  resetConnection(match: RequestMatch): void;
  hang(match: RequestMatch): void;
  clear(): void;
}

export type FaultAction = { kind: 'respond'; response: ScriptedResponse } | { kind: 'reset' } | { kind: 'hang' };

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
  retryAfterSeconds?: number;
}

interface Rule {
  match: RequestMatch;
  action: FaultAction;
  seen: number;
}

export const RATE_LIMIT_RESOURCE = 'Core';

export class Faults implements FaultController {
  private latency = { ms: 0, jitterMs: 0 };
  private rate: RateLimitSettings | null = null;
  private spent: number[] = [];
  private refused = 0;
  private rules: Rule[] = [];

  constructor(private readonly clock: Clock, private readonly random: () => number = Math.random) {}

  setLatency(ms: number, jitterMs = 0): void {
    this.latency = { ms: Math.max(0, ms), jitterMs: Math.max(0, jitterMs) };
  }

  setRateLimit(settings: RateLimitSettings | null): void {
    this.rate = settings;
    this.spent = [];
    this.refused = 0;
  }

  refusals(): number {
    return this.refused;
  }

  scriptResponse(match: RequestMatch, response: ScriptedResponse): void {
    this.rules.push({ match, action: { kind: 'respond', response }, seen: 0 });
  }

  resetConnection(match: RequestMatch): void {
    this.rules.push({ match, action: { kind: 'reset' }, seen: 0 });
  }

  hang(match: RequestMatch): void {
    this.rules.push({ match, action: { kind: 'hang' }, seen: 0 });
  }

  clear(): void {
    this.latency = { ms: 0, jitterMs: 0 };
    this.setRateLimit(null);
    this.rules = [];
  }

  /** Counts the request against every rule and returns the first fault due now (each fires once). */
  take(method: string, path: string): FaultAction | undefined {
    let due: Rule | undefined;
    for (const rule of this.rules) {
      const { method: m, path: p, nth = 1 } = rule.match;
      if (m && m.toUpperCase() !== method.toUpperCase()) continue;
      if (p && !p.test(path)) continue;
      rule.seen += 1;
      if (!due && rule.seen === nth) due = rule;
    }
    if (due) this.rules = this.rules.filter((r) => r !== due);
    return due?.action;
  }

  delayMs(): number {
    return this.latency.ms + Math.round(this.random() * this.latency.jitterMs);
  }

  /**
   * Spends one unit of the sliding-window budget, or refuses. X-RateLimit-* go on every refusal and, once the
   * spent share reaches `headersFrom`, on successes too (facts §7.6). Remaining is 0 while refusing; Reset is when
   * usage would be back to 0 if every request stopped now: the NEWEST spent unit's end of window, not the oldest's.
   */
  consume(): RateDecision {
    if (!this.rate) return { allowed: true, headers: {} };
    const now = this.clock.now().getTime();
    const { limit, windowMs, retryAfterSeconds, headersFrom = 0.5 } = this.rate;
    this.spent = this.spent.filter((t) => t > now - windowMs);
    const allowed = this.spent.length < limit;
    if (allowed) this.spent.push(now);
    const reset = Math.ceil(((this.spent.at(-1) ?? now) + windowMs) / 1000);
    const headers: Record<string, string> = {
      'X-RateLimit-Resource': RATE_LIMIT_RESOURCE,
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(allowed ? Math.max(0, limit - this.spent.length) : 0),
      'X-RateLimit-Reset': String(reset),
    };
    if (!allowed) this.refused += 1;
    if (!allowed) return { allowed, headers: { ...headers, 'Retry-After': String(retryAfterSeconds) }, retryAfterSeconds };
    return { allowed, headers: this.spent.length >= limit * headersFrom ? headers : {} };
  }
}
