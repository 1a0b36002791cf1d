/**
 * Fault injection a test controls per request: latency, a rate-limit budget (429 + TF400733 + X-RateLimit-*,
 * facts §7.6), a scripted answer for the Nth matching request, a reset connection, a request that never answers,
 * an answer lost after the write committed.
 */
import type { Clock } from '../clock';
import { OnceRules, type LostAnswer, type RequestMatch } from '../request-rules';

export type { LostAnswer, RequestMatch } from '../request-rules';

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
  /** The request is served (its write commits), then the answer is lost: a reset connection, or `how.status`. */
  loseAnswer(match: RequestMatch, how?: LostAnswer): void;
  clear(): void;
}

export type FaultAction = { kind: 'respond'; response: ScriptedResponse } | { kind: 'reset' } | { kind: 'hang' } | { kind: 'lose'; how: LostAnswer };

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
  retryAfterSeconds?: number;
}

export const RATE_LIMIT_RESOURCE = 'Core';

export class Faults implements FaultController {
  private latency = { ms: 0, jitterMs: 0 };
  private rate: RateLimitSettings | null = null;
  private spent: number[] = [];
  private refused = 0;
  private readonly rules = new OnceRules<FaultAction>();

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
    this.rules.add(match, { kind: 'respond', response });
  }

  resetConnection(match: RequestMatch): void {
    this.rules.add(match, { kind: 'reset' });
  }

  hang(match: RequestMatch): void {
    this.rules.add(match, { kind: 'hang' });
  }

  loseAnswer(match: RequestMatch, how: LostAnswer = {}): void {
    this.rules.add(match, { kind: 'lose', how });
  }

  clear(): void {
    this.latency = { ms: 0, jitterMs: 0 };
    this.setRateLimit(null);
    this.rules.clear();
  }

  /** Counts the request against every rule and returns the first fault due now (each fires once). */
  take(method: string, path: string): FaultAction | undefined {
    return this.rules.take(method, path);
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
