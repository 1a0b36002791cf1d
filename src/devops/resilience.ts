import { handleWhen, retry, timeout, TimeoutStrategy, type IBackoff, type IRetryBackoffContext } from 'cockatiel';
import { statusOf } from '../domain/errors';
import { isRetryable, retryAfterMsOf } from './devops-errors';
import { systemClock, type Sleep } from '../domain/time';



export interface ResilienceOptions {
  /** Total attempts per call, the first included (config DEVOPS_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Budget of one attempt. */
  timeoutMs: number;
  sleep?: Sleep;
  /** [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
  /** A Retry-After longer than this is not waited for: the caller gets DEVOPS.THROTTLED with retryAfterMs. */
  maxRetryAfterMs?: number;
  onRetry?: (event: { operation: string; attempt: number; delayMs: number; status?: number }) => void;
  /**
   * True when the caller waits out Retry-After itself before each attempt (an adapter-wide pause shared by every
   * caller): the backoff then adds no delay of its own for an answer that named a wait.
   */
  sharedRetryAfter?: boolean;
}

type RetryContext = IRetryBackoffContext<unknown>;

const BASE_DELAY_MS = 250;
const MAX_BACKOFF_MS = 8_000;

/**
 * cockatiel decides whether to retry (handleWhen) and how often (maxAttempts); this backoff reads the failure to
 * choose the delay. Its own duration is 0 and the delay is slept by the injectable `sleep` before the next attempt,
 * outside the per-attempt timeout, so tests record the delays instead of waiting them out.
 */
class RetryAfterBackoff implements IBackoff<RetryContext> {
  readonly duration = 0;
  pendingDelayMs = 0;

  constructor(private readonly random: () => number, private readonly sharedRetryAfter: boolean) {}

  next(context: RetryContext): IBackoff<RetryContext> {
    const error = 'error' in context.result ? context.result.error : undefined;
    const asked = retryAfterMsOf(error);
    // Honour the service's wait, plus up to 10% so callers throttled together do not return together.
    if (asked !== undefined) this.pendingDelayMs = this.sharedRetryAfter ? 0 : Math.round(asked * (1 + 0.1 * this.random()));
    else {
      const ceiling = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** (context.attempt - 1));
      this.pendingDelayMs = Math.round(ceiling / 2 + (ceiling / 2) * this.random());
    }
    return this;
  }
}

/** One retry policy for every Azure DevOps call (typed-rest-client's own retries are switched off). */
export class Resilience {
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly maxRetryAfterMs: number;

  constructor(private readonly options: ResilienceOptions) {
    this.sleep = options.sleep ?? systemClock.sleep;
    this.random = options.random ?? Math.random;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  }

  /**
   * Run `attempt` until it succeeds, fails for good, or attempts run out. Errors come out as the client threw them.
   * `beforeAttempt` runs before every attempt, outside its timeout (the adapter's shared rate-limit pause).
   */
  async run<T>(operation: string, idempotent: boolean, attempt: () => Promise<T>, beforeAttempt?: () => Promise<void>): Promise<T> {
    const backoff = new RetryAfterBackoff(this.random, this.options.sharedRetryAfter === true);
    const retryPolicy = retry(handleWhen((e) => isRetryable(e, idempotent, this.maxRetryAfterMs)), {
      maxAttempts: Math.max(0, this.options.maxAttempts - 1),
      backoff,
    });
    const timeoutPolicy = timeout(this.options.timeoutMs, TimeoutStrategy.Aggressive);
    retryPolicy.onRetry((event) => {
      const status = 'error' in event ? statusOf(event.error) : undefined;
      this.options.onRetry?.({ operation, attempt: event.attempt, delayMs: backoff.pendingDelayMs, status });
    });
    return retryPolicy.execute(async (context) => {
      if (context.attempt > 0 && backoff.pendingDelayMs > 0) await this.sleep(backoff.pendingDelayMs);
      await beforeAttempt?.();
      return timeoutPolicy.execute(() => attempt());
    });
  }
}
