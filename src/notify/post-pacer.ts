/**
 * Paces calls to the Bot Connector under Teams' documented limits (msteams-docs bots/how-to/rate-limit.md; shared
 * reference §5.4): per bot per conversation 7 per 1 s, 8 per 2 s, 60 per 30 s, 1,800 per 3,600 s, and 30 per
 * second per app per tenant across all conversations. Each window slides, as Teams counts them: a call goes when
 * every window it falls in, counted back from now, has room, otherwise it waits until the oldest call there slides
 * out. A call counts from its start until its answer and then by the instant of its answer (see Call). Pure: time
 * and sleeping are injected, so tests drive a manual clock.
 *
 * Why not a library: p-queue's `interval`/`intervalCap` is a fixed window (two full windows back to back put twice
 * the cap into one sliding second), bottleneck has had no release since 2019, and neither takes several windows
 * per key nor an injectable clock. The window arithmetic is small; the retries around it use cockatiel.
 */
import { type Sleep } from '../domain/time';

export interface RateWindow {
  limit: number;
  windowMs: number;
}

export interface PostLimits {
  /** Per conversation (thread). */
  perConversation: readonly RateWindow[];
  /** Per app per tenant, shared by every conversation of that tenant. */
  perTenant: readonly RateWindow[];
}

/** Teams' documented limits for a bot's proactive posts. */
export const TEAMS_POST_LIMITS: PostLimits = Object.freeze({
  perConversation: [
    { limit: 7, windowMs: 1_000 },
    { limit: 8, windowMs: 2_000 },
    { limit: 60, windowMs: 30_000 },
    { limit: 1_800, windowMs: 3_600_000 },
  ],
  perTenant: [{ limit: 30, windowMs: 1_000 }],
});



/** Where one call goes: its conversation and the tenant that conversation belongs to. */
export interface PostTarget {
  conversationId: string;
  tenantId: string;
}

/**
 * A call as the windows count it: Teams counts it when it arrives, some time between our sending it and its answer,
 * so it counts from its start until it is answered and then by the instant it was answered. Counting by start
 * alone lets a fast call overtake a slow one into the next window (the connector then sees one call too many).
 */
interface Call {
  at: number;
}

const IN_FLIGHT = Number.POSITIVE_INFINITY;

/** Admitted calls per key, kept as long as the longest window after they were answered. */
class WindowLog {
  private readonly calls = new Map<string, Call[]>();
  private readonly notBefore = new Map<string, number>();
  private readonly horizonMs: number;

  constructor(private readonly windows: readonly RateWindow[]) {
    this.horizonMs = Math.max(0, ...windows.map((w) => w.windowMs));
  }

  /** Milliseconds until a call under `key` fits every window (0: now). */
  waitMs(key: string, now: number): number {
    const calls = this.pruned(key, now);
    let wait = Math.max(0, (this.notBefore.get(key) ?? 0) - now);
    for (const { limit, windowMs } of this.windows) {
      const inWindow = calls.filter((c) => c.at > now - windowMs);
      if (inWindow.length < limit) continue;
      // Room comes back once enough of the oldest calls in the window have slid out of it (one in flight: not
      // before a whole window from now; the caller checks again after waking).
      const times = inWindow.map((c) => Math.min(c.at, now)).sort((a, b) => a - b);
      wait = Math.max(wait, (times[times.length - limit] as number) + windowMs - now);
    }
    return wait;
  }

  add(key: string, call: Call, now: number): void {
    this.calls.set(key, [...this.pruned(key, now), call]);
  }

  /** Nothing under `key` before `until` (the service asked for it with Retry-After). */
  pause(key: string, until: number): void {
    this.notBefore.set(key, Math.max(this.notBefore.get(key) ?? 0, until));
  }

  /** The calls still inside the longest window; keys with none are dropped, so the maps stay as small as the traffic. */
  private pruned(key: string, now: number): Call[] {
    const calls = (this.calls.get(key) ?? []).filter((c) => c.at > now - this.horizonMs);
    if (calls.length > 0) this.calls.set(key, calls);
    else this.calls.delete(key);
    if ((this.notBefore.get(key) ?? Infinity) <= now) this.notBefore.delete(key);
    return calls;
  }
}

export class PostPacer {
  private readonly conversations: WindowLog;
  private readonly tenants: WindowLog;
  private waitedMs = 0;

  constructor(limits: PostLimits, private readonly now: () => number, private readonly sleep: Sleep) {
    this.conversations = new WindowLog(limits.perConversation);
    this.tenants = new WindowLog(limits.perTenant);
  }

  /**
   * Resolves when a call to `target` may start, and counts it as started; call the returned function once it is
   * answered. Waiters check again after sleeping: another caller may have taken the slot meanwhile (the check and
   * the count run without an await between them).
   */
  async acquire(target: PostTarget): Promise<() => void> {
    for (;;) {
      const now = this.now();
      const wait = Math.max(this.conversations.waitMs(target.conversationId, now), this.tenants.waitMs(target.tenantId, now));
      if (wait <= 0) {
        const call: Call = { at: IN_FLIGHT };
        this.conversations.add(target.conversationId, call, now);
        this.tenants.add(target.tenantId, call, now);
        return () => {
          call.at = this.now();
        };
      }
      this.waitedMs += wait;
      await this.sleep(wait);
    }
  }

  /**
   * A 429 does not say which limit was hit, so its Retry-After holds back the conversation and the whole tenant:
   * other conversations would otherwise keep hitting a tenant-wide limit.
   */
  pause(target: PostTarget, ms: number): void {
    const until = this.now() + ms;
    this.conversations.pause(target.conversationId, until);
    this.tenants.pause(target.tenantId, until);
  }

  /** Total time callers were held back, in ms (summed over callers). */
  get totalWaitMs(): number {
    return this.waitedMs;
  }
}
