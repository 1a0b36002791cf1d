import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Clock } from '../domain/time';
import { StoreRateLimiter } from '../store/store-rate-limiter';
import type { Store } from '../store/store.port';

export type RateDecision =
  | { allowed: true }
  /** `firstRefusal`: the first call refused in this window (audited; the rest are only logged). */
  | { allowed: false; retryAfterSeconds: number; firstRefusal: boolean }
  /** The shared count could not be read or written: the call is refused (fail closed); `error` is for the log. */
  | { allowed: false; unavailable: true; error: unknown };

const WINDOW_SECONDS = 60;

/**
 * Tool calls per caller (their Entra object id) per minute, across every instance: a fixed window counted in the
 * shared Store (src/store/store-rate-limiter.ts), so an agent spreading its calls over instances still gets the
 * configured total. A runaway agent slows down; the people chatting with the bot, who share its Azure DevOps rate
 * budget, do not. In front of it, this instance's own count in memory (the same limit): a caller already over it
 * here is refused without a store call, and a caller the store refused stays refused from memory until the window
 * ends. When the store cannot answer, the call is refused: an unknown count never lets a call through.
 */
export class CallerRateLimit {
  private readonly local: RateLimiterMemory;
  private readonly shared: StoreRateLimiter | undefined;

  /** `shared`: the store every instance uses; without it (unit tests of the call wrapper) the limit is this instance's. */
  constructor(readonly callsPerMinute: number, shared?: { store: Store; clock: Clock }) {
    this.local = new RateLimiterMemory({ points: callsPerMinute, duration: WINDOW_SECONDS });
    this.shared = shared && new StoreRateLimiter({
      ...shared, points: callsPerMinute, duration: WINDOW_SECONDS, keyPrefix: 'mcp-calls', inMemoryBlockOnConsumed: callsPerMinute + 1,
    });
  }

  async take(callerId: string): Promise<RateDecision> {
    const key = callerId.toLowerCase();
    const local = await this.consume(this.local, key);
    if (!this.shared) return local ?? { allowed: true };
    // Refused here before in this window: decided from memory. This instance's first refusal still asks the store,
    // which alone knows whether another instance already refused (and audited) this caller in the window.
    if (local && !('firstRefusal' in local && local.firstRefusal)) return local;
    return (await this.consume(this.shared, key)) ?? { allowed: true };
  }

  /** undefined: allowed. */
  private async consume(limiter: RateLimiterAbstract, key: string): Promise<RateDecision | undefined> {
    try {
      await limiter.consume(key);
      return undefined;
    } catch (refused) {
      if (!(refused instanceof RateLimiterRes)) return { allowed: false, unavailable: true, error: refused };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refused.msBeforeNext / 1000)), firstRefusal: refused.consumedPoints === this.callsPerMinute + 1 };
    }
  }
}
