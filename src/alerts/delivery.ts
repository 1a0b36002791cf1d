/**
 * Posts each subscribed conversation only what changed since it was last told: new and changed findings (one card
 * each, or a digest when many), a reminder of the still-open ones once per period, the resolved ones once. Each
 * post is saved as soon as it succeeds, so a failed post is retried on the next scan and nothing is posted twice;
 * a conversation that refuses every post (the bot was removed) is unsubscribed after a few scans. A save that fails
 * (the store) stops that conversation: nothing more is posted there until what was posted is recorded, and this
 * instance keeps it (`unsaved`) and records it first next time, so only a crash between a post and its record can
 * post one card again.
 */
import PQueue from 'p-queue';
import type { Clock } from '../domain/time';
import { applyBatch, planDelivery, type AlertBatch, type Posted } from '../domain/alert-delivery';
import type { Finding } from '../domain/findings';
import { errorCodeOf } from '../domain/errors';
import type { Logger } from '../logging';
import type { CardMessage } from '../cards/card';
import { VersionConflictError } from '../store/store.port';
import { alertMessages } from '../cards/alert-list-view';
import { inScope, type AlertStore, type Subscription } from './alert-store';
import type { AlertSettings } from './alert-settings';
import type { Notifier } from '../notify/notifier.port';

/** Scans in a row whose post is refused with 403/404 (the bot was removed from the conversation) before it is unsubscribed. */
export const REFUSALS_BEFORE_UNSUBSCRIBE = 3;

/** The HTTP status of a failed Bot Connector call, when the error carries one. */
function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; status?: unknown } | undefined;
  const status = e?.statusCode ?? e?.status;
  return typeof status === 'number' ? status : undefined;
}

export interface AlertDeliveryOptions {
  alerts: AlertStore;
  notifier: Notifier;
  clock: Clock;
  logger: Logger;
  settings: Readonly<Pick<AlertSettings, 'reminderHours' | 'digestOver'>>;
  /**
   * Conversations posted to at once; default 8. The notifier paces the calls under Teams' limits (30 per second per
   * tenant); this only has to keep enough in flight to reach that rate at a few hundred ms per Bot Connector call.
   */
  concurrency?: number;
  /** What was posted but could not be recorded, by conversation; kept by the radar from one delivery to the next. */
  unsaved?: Map<string, Posted>;
  /** May this conversation see this finding's connection (a policy file's `read`)? Everything when absent. */
  visible?: FindingVisibility;
}

export type FindingVisibility = (conversationId: string, finding: Finding) => boolean;

/** How a save went: the new version, or the conversation no longer wants alerts, or the store failed. */
type Saved = { version: string } | 'gone' | 'failed';

/** Same findings, same texts, same posting times: nothing to write. */
function samePosted(a: Readonly<Posted>, b: Readonly<Posted>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && JSON.stringify(a[key]) === JSON.stringify(b[key]));
}

export class AlertDelivery {
  constructor(private readonly o: AlertDeliveryOptions) {}

  async deliverAll(findings: readonly Finding[]): Promise<{ conversations: number; posts: number; failedPosts: number }> {
    const totals = { conversations: 0, posts: 0, failedPosts: 0 };
    await this.eachSubscription(async (subscription) => {
      const outcome = await this.deliver(subscription, findings);
      totals.conversations += outcome.posts > 0 ? 1 : 0;
      totals.posts += outcome.posts;
      totals.failedPosts += outcome.failed ? 1 : 0;
    });
    return totals;
  }

  /** One card to every subscribed conversation (the radar's own health); failures are logged, not retried. */
  async broadcast(reply: CardMessage): Promise<number> {
    let posted = 0;
    await this.eachSubscription(async (subscription) => {
      try {
        await this.o.notifier.post(subscription, reply);
        posted += 1;
      } catch (error) {
        this.o.logger.warn({ err: error, code: errorCodeOf(error), conversation: subscription.conversationId }, 'could not post the radar health notice');
      }
    });
    return posted;
  }

  /** Conversations are posted to a few at a time: many channels must not mean hundreds of calls waiting at once. */
  private async eachSubscription(work: (subscription: Subscription) => Promise<void>): Promise<void> {
    const subscriptions = await this.o.alerts.subscriptions();
    const queue = new PQueue({ concurrency: this.o.concurrency ?? 8 });
    await queue.addAll(subscriptions.map((subscription) => () => work(subscription)));
  }

  /** The subscription's findings that its conversation may see: alerts follow the policy's `read` like every command. */
  private seenBy(subscription: Subscription, findings: readonly Finding[]): readonly Finding[] {
    const scoped = inScope(subscription, findings);
    const visible = this.o.visible;
    return visible ? scoped.filter((f) => visible(subscription.conversationId, f)) : scoped;
  }

  /** Posts what changed, recording each post; a conversation that refuses posts scan after scan is unsubscribed. */
  private async deliver(subscription: Subscription, findings: readonly Finding[]): Promise<{ posts: number; failed: boolean }> {
    const now = this.o.clock.now();
    const base = await this.recorded(subscription.conversationId);
    if (base === 'failed') return { posts: 0, failed: true };
    const delivery = planDelivery(base.posted, this.seenBy(subscription, findings), now, { reminderHours: this.o.settings.reminderHours });
    const sent = await this.postInOrder(subscription, delivery.batches, delivery.unposted, now, base.version);
    if (sent.refused || (sent.posts > 0 && subscription.refusedPosts)) {
      const removed = await this.o.alerts.countRefusal(subscription.conversationId, sent.refused, REFUSALS_BEFORE_UNSUBSCRIBE);
      if (removed) {
        this.o.logger.warn({ conversation: subscription.conversationId, scans: REFUSALS_BEFORE_UNSUBSCRIBE }, 'alerts turned off for a conversation that refused every post (the bot was removed from it?)');
        return sent;
      }
    }
    // Nothing posted: the findings' current details are still saved (each post saved its own state as it went).
    if (sent.posts === 0 && !samePosted(base.posted, sent.state) && (await this.save(subscription.conversationId, sent.state, base.version)) === 'failed') {
      return { ...sent, failed: true };
    }
    return sent;
  }

  /**
   * What was posted to a conversation: as stored, or newer when this instance posted and could not record it (then
   * it is recorded first). 'failed' while it still cannot be: nothing may be posted there that could not be recorded.
   */
  private async recorded(conversationId: string): Promise<{ posted: Posted; version: string | undefined } | 'failed'> {
    const read = await this.o.alerts.posted(conversationId);
    const carried = this.o.unsaved?.get(conversationId);
    if (!carried) return { posted: read?.value ?? {}, version: read?.version };
    const saved = await this.save(conversationId, carried, read?.version);
    if (saved === 'failed') return 'failed';
    this.o.unsaved?.delete(conversationId);
    // Someone else wrote since (an unsubscribe, a new scope): theirs stands.
    return saved === 'gone' ? { posted: read?.value ?? {}, version: read?.version } : { posted: carried, version: saved.version };
  }

  /**
   * Posts in order and records each post as soon as it succeeds: a crash mid-burst (posts wait their turn under
   * Teams' limits, so a burst takes a while) then neither loses what was not posted nor posts again what was. The
   * first failure stops this conversation until the next scan; so does an unsubscribe meanwhile, or a record that
   * cannot be saved.
   */
  private async postInOrder(subscription: Subscription, batches: readonly AlertBatch[], unposted: Posted, now: Date, read: string | undefined) {
    let state = unposted;
    let posts = 0;
    let version = read;
    for (const message of alertMessages(batches, { digestOver: this.o.settings.digestOver })) {
      try {
        await this.o.notifier.post(subscription, message.reply);
      } catch (error) {
        const status = statusOf(error);
        this.o.logger.warn({ err: error, code: errorCodeOf(error), status, conversation: subscription.conversationId }, 'could not post an alert; it is retried on the next scan');
        return { state, posts, failed: true, refused: status === 403 || status === 404 };
      }
      posts += 1;
      state = message.batches.reduce((s: Posted, b: AlertBatch) => applyBatch(s, b, now), state);
      const saved = await this.save(subscription.conversationId, state, version);
      if (saved === 'failed') return { state, posts, failed: true, refused: false };
      if (saved === 'gone') break;
      version = saved.version;
    }
    return { state, posts, failed: false, refused: false };
  }

  private async save(conversationId: string, state: Posted, version: string | undefined): Promise<Saved> {
    // Unsubscribed while we posted: leave nothing behind (a first save would create the record again).
    if (version === undefined && !(await this.o.alerts.subscription(conversationId))) return 'gone';
    try {
      return { version: await this.o.alerts.savePosted(conversationId, state, version) };
    } catch (error) {
      if (error instanceof VersionConflictError) return 'gone';
      // Posted, not recorded: kept here and recorded before anything else is posted there.
      this.o.unsaved?.set(conversationId, state);
      this.o.logger.error({ err: error, code: errorCodeOf(error), conversation: conversationId }, 'could not record the alerts posted to a conversation; kept in memory, recorded before posting there again');
      return 'failed';
    }
  }
}
