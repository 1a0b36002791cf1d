/**
 * The Notifier every background post goes through: calls to one conversation run one at a time in the order they
 * were made, every call waits for its turn under Teams' limits (post-pacer.ts), and a call Teams throttles or
 * cannot take right now is tried again: 429 after its Retry-After (which also holds back the rest of the tenant),
 * 412/502/503/504 after an exponential backoff with jitter, as the Teams docs ask. A call that still fails
 * rejects as before, so its caller keeps it pending (alerts: the next delivery posts it).
 */
import PQueue from 'p-queue';
import { handleWhen, retry, type IBackoff, type IRetryBackoffContext } from 'cockatiel';
import type { CardMessage } from '../cards/card';
import type { CardLocation } from '../domain/approval';
import { isAppError, statusOf } from '../domain/errors';
import type { ConversationAddress, Notifier } from './notifier.port';
import { PostPacer, TEAMS_POST_LIMITS, type PostLimits, type PostTarget } from './post-pacer';
import { NO_TELEMETRY, type Telemetry } from '../telemetry/telemetry.port';
import { systemClock, type Sleep } from '../domain/time';

export interface PacedNotifierOptions {
  /** The Bot Connector notifier (bot/notifier.ts), which rejects with AppError TEAMS.* carrying status and Retry-After. */
  inner: Notifier;
  limits?: PostLimits;
  /** Milliseconds, for the rate windows; Date.now by default (not the app Clock, which tests freeze). */
  now?: () => number;
  sleep?: Sleep;
  /** Attempts per call, the first included; default 5. */
  maxAttempts?: number;
  /** A Retry-After longer than this is not waited for (the call fails, and is retried later by its caller); default 60 s. */
  maxRetryAfterMs?: number;
  /** [0, 1) for the jitter; injectable so tests pin it. */
  random?: () => number;
  onRetry?: (event: { conversationId: string; attempt: number; status?: number; delayMs: number }) => void;
  /** Counts posts by outcome, retries by status and the time posts waited for a slot (none by default). */
  telemetry?: Telemetry;
}

export interface PacingStats {
  calls: number;
  retries: number;
  /** 429s answered by the Bot Connector. */
  throttled: number;
  /** Calls that failed for good (after their retries, or at once when not retryable). */
  failed: number;
  /** Time calls waited for a free slot, summed over calls. */
  waitedMs: number;
}

const RETRIED_STATUSES: ReadonlySet<number> = new Set([412, 502, 503, 504]);
const BASE_DELAY_MS = 500;
const MAX_BACKOFF_MS = 8_000;

const retryAfterOf = (error: unknown): number | undefined => (isAppError(error) ? error.retryAfterMs : undefined);

/** The conversation's tenant as the stored reference names it; conversations without one share a bucket. */
function targetOf(reference: Record<string, unknown>, conversationId?: string): PostTarget {
  const conversation = reference.conversation as { id?: unknown; tenantId?: unknown } | undefined;
  return { conversationId: conversationId ?? String(conversation?.id ?? ''), tenantId: String(conversation?.tenantId ?? 'unknown') };
}

/** cockatiel decides whether to retry; this reads the failure to choose the wait (a zero-length backoff of its own). */
class TeamsBackoff implements IBackoff<IRetryBackoffContext<unknown>> {
  readonly duration = 0;
  delayMs = 0;
  retryAfterMs: number | undefined;

  constructor(private readonly random: () => number) {}

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const error = 'error' in context.result ? context.result.error : undefined;
    this.retryAfterMs = retryAfterOf(error);
    const ceiling = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** (context.attempt - 1));
    // Retry-After is waited through the pacer (it holds back the tenant too); other failures back off here.
    this.delayMs = this.retryAfterMs !== undefined ? 0 : Math.round(ceiling / 2 + (ceiling / 2) * this.random());
    return this;
  }
}

export class PacedNotifier implements Notifier {
  private readonly pacer: PostPacer;
  private readonly queues = new Map<string, PQueue>();
  private readonly counts = { calls: 0, retries: 0, throttled: 0, failed: 0 };
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly telemetry: Telemetry;

  constructor(private readonly o: PacedNotifierOptions) {
    this.sleep = o.sleep ?? systemClock.sleep;
    this.random = o.random ?? Math.random;
    this.telemetry = o.telemetry ?? NO_TELEMETRY;
    const paced: Sleep = (ms) => {
      this.telemetry.count('posts.waited.ms', {}, ms);
      return this.sleep(ms);
    };
    this.pacer = new PostPacer(o.limits ?? TEAMS_POST_LIMITS, o.now ?? Date.now, paced);
  }

  post(to: ConversationAddress, message: CardMessage): Promise<void> {
    return this.inOrder(targetOf(to.reference, to.conversationId), () => this.o.inner.post(to, message));
  }

  update(card: CardLocation, message: CardMessage): Promise<void> {
    return this.inOrder(targetOf(card.conversation), () => this.o.inner.update(card, message));
  }

  stats(): PacingStats {
    return { ...this.counts, waitedMs: this.pacer.totalWaitMs };
  }

  /** Resolves once every post asked for so far (and any asked for meanwhile) was sent or failed: the drain's flush. */
  async idle(): Promise<void> {
    while ([...this.queues.values()].some((q) => q.size > 0 || q.pending > 0)) {
      await Promise.all([...this.queues.values()].map((q) => q.onIdle()));
    }
  }

  /** One queue per conversation, dropped when it empties: order is kept per conversation, others go on in parallel. */
  private async inOrder(target: PostTarget, call: () => Promise<void>): Promise<void> {
    let queue = this.queues.get(target.conversationId);
    if (!queue) {
      const created = new PQueue({ concurrency: 1 });
      created.on('idle', () => {
        if (this.queues.get(target.conversationId) === created) this.queues.delete(target.conversationId);
      });
      this.queues.set(target.conversationId, created);
      queue = created;
    }
    await queue.add(() => this.withRetries(target, call), { throwOnTimeout: true });
  }

  private async withRetries(target: PostTarget, call: () => Promise<void>): Promise<void> {
    const maxRetryAfterMs = this.o.maxRetryAfterMs ?? 60_000;
    const backoff = new TeamsBackoff(this.random);
    const policy = retry(
      handleWhen((e) => {
        const status = statusOf(e);
        if (status === 429) return (retryAfterOf(e) ?? 0) <= maxRetryAfterMs;
        return status !== undefined && RETRIED_STATUSES.has(status);
      }),
      { maxAttempts: Math.max(0, (this.o.maxAttempts ?? 5) - 1), backoff },
    );
    policy.onRetry((event) => {
      const status = 'error' in event ? statusOf(event.error) : undefined;
      this.counts.retries += 1;
      this.telemetry.count('posts.retried', status === undefined ? {} : { status });
      this.o.onRetry?.({ conversationId: target.conversationId, attempt: event.attempt, status, delayMs: backoff.retryAfterMs ?? backoff.delayMs });
    });
    try {
      await policy.execute(async ({ attempt }) => {
        if (attempt > 0 && backoff.retryAfterMs !== undefined) {
          // Plus up to 10%, so conversations throttled together do not all come back at the same instant.
          this.pacer.pause(target, Math.round(backoff.retryAfterMs * (1 + 0.1 * this.random())));
        } else if (attempt > 0 && backoff.delayMs > 0) await this.sleep(backoff.delayMs);
        const answered = await this.pacer.acquire(target);
        this.counts.calls += 1;
        try {
          await call();
        } catch (error) {
          if (statusOf(error) === 429) this.counts.throttled += 1;
          throw error;
        } finally {
          answered();
        }
      });
      this.telemetry.count('posts.paced', { outcome: 'sent' });
    } catch (error) {
      this.counts.failed += 1;
      this.telemetry.count('posts.paced', { outcome: 'failed' });
      throw error;
    }
  }
}
