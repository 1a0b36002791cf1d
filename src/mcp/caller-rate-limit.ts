import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export type RateDecision =
  | { allowed: true }
  /** `firstRefusal`: the first call refused in this window (audited; the rest are only logged). */
  | { allowed: false; retryAfterSeconds: number; firstRefusal: boolean };

/**
 * Tool calls per caller (their Entra object id) per minute, on this instance: a fixed window kept in memory by
 * rate-limiter-flexible. A runaway agent slows down; the people chatting with the bot, who share its Azure DevOps rate
 * budget, do not. Several instances each allow the limit (the budget gate in src/devops protects the service itself).
 */
export class CallerRateLimit {
  private readonly limiter: RateLimiterMemory;

  constructor(readonly callsPerMinute: number) {
    this.limiter = new RateLimiterMemory({ points: callsPerMinute, duration: 60 });
  }

  async take(callerId: string): Promise<RateDecision> {
    try {
      await this.limiter.consume(callerId.toLowerCase());
      return { allowed: true };
    } catch (refused) {
      if (!(refused instanceof RateLimiterRes)) throw refused;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refused.msBeforeNext / 1000)), firstRefusal: refused.consumedPoints === this.callsPerMinute + 1 };
    }
  }
}
