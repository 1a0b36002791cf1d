/**
 * The alerts radar: scans on a schedule (or when asked), compares with what each subscribed conversation was
 * already told, and posts only the difference: new and changed findings (one card each, or a digest when many),
 * a reminder of the ones still open once per reminder period, and the resolved ones once.
 * One scan at a time across every instance sharing the Store: a lease (`run-leases/alert-scan`) plus the last
 * scan's start time, so two instances ticking together still make one scan per interval.
 */
import PQueue from 'p-queue';
import type { Clock } from '../domain/clock';
import { applyBatch, planDelivery, withGapsCarried, type AlertBatch, type Posted } from '../domain/alert-delivery';
import type { Finding, FindingThresholds } from '../domain/findings';
import { errorCodeOf } from '../commands/error-text';
import type { CardJson } from '../commands/command';
import type { Logger } from '../logging';
import { RunLeases, type Repeat } from '../approvals/run-lease';
import { VersionConflictError, type Store } from '../store/store.port';
import { alertMessages } from '../cards/alert-view';
import { AlertStore, type ScanRecord, type Subscription } from './alert-store';
import type { ScanResult } from './scanner';

export const SCAN_LEASE = 'alert-scan';

export interface AlertSettings {
  /** Minutes between scheduled scans; 0 = no schedule (`alerts scan` still scans). */
  intervalMinutes: number;
  /** Hours before a still-open finding is posted again; 0 = never. */
  reminderHours: number;
  /** More new findings than this at once are posted as one digest card. */
  digestOver: number;
  thresholds: FindingThresholds;
  /** Whether the unused check (one execution-history read per old connection) runs. */
  checkUnused: boolean;
  /** What is watched: the configured projects, or every project when empty. */
  projects: readonly string[];
}

/** Sends a card to a subscribed conversation (a proactive message; the bot layer implements it). */
export interface AlertPoster {
  post(subscription: Subscription, reply: { text: string; card: CardJson }): Promise<void>;
}

export interface FindingsScanner {
  scan(): Promise<ScanResult>;
}

export type RunOutcome =
  | { kind: 'scanned'; findings: number; conversations: number; posts: number; failedPosts: number; result: ScanResult }
  | { kind: 'failed'; code: string }
  | { kind: 'busy' }
  | { kind: 'not-due'; nextAt: string };

export interface AlertStatus {
  settings: Readonly<AlertSettings>;
  subscription?: Subscription;
  subscriptions: number;
  lastScan?: ScanRecord;
}

export interface AlertRadarOptions {
  scanner: FindingsScanner;
  store: Store;
  clock: Clock;
  logger: Logger;
  settings: Readonly<AlertSettings>;
  /** This instance's lease identity (tests name instances); random per process by default. */
  owner?: string;
  /** Timer (tests drive it by hand). */
  repeat?: Repeat;
  /** Conversations posted to at once. */
  postConcurrency?: number;
}

const MINUTE_MS = 60_000;
/** Scans in a row whose post is refused with 403/404 (the bot was removed from the conversation) before it is unsubscribed. */
export const REFUSALS_BEFORE_UNSUBSCRIBE = 3;

/** The HTTP status of a failed Bot Connector call, when the error carries one. */
function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; status?: unknown } | undefined;
  const status = e?.statusCode ?? e?.status;
  return typeof status === 'number' ? status : undefined;
}

export class AlertRadar {
  readonly settings: Readonly<AlertSettings>;
  private readonly alerts: AlertStore;
  private readonly leases: RunLeases;
  private poster: AlertPoster | undefined;
  private running: Promise<RunOutcome> | undefined;

  constructor(private readonly o: AlertRadarOptions) {
    this.settings = o.settings;
    this.alerts = new AlertStore(o.store);
    this.leases = new RunLeases({
      store: o.store, clock: o.clock, ...(o.owner ? { owner: o.owner } : {}), ...(o.repeat ? { repeat: o.repeat } : {}),
      onRenewFailed: (_key, error) => o.logger.warn({ err: error }, 'alert scan lease could not be renewed'),
    });
  }

  /** The bot layer's proactive sender; until one is set, scans record findings but post nothing. */
  usePoster(poster: AlertPoster): void {
    this.poster = poster;
  }

  /** Scans when the last scan (by any instance) is an interval old. */
  runIfDue(): Promise<RunOutcome> {
    return this.exclusive(false);
  }

  /** Scans now (`alerts scan`), unless a scan is running somewhere. */
  runNow(): Promise<RunOutcome> {
    return this.exclusive(true);
  }

  /** Starts a scan in the background (`alerts scan`); 'busy' when this instance is already scanning. */
  startScan(): 'started' | 'busy' {
    if (this.running) return 'busy';
    this.runNow().then(
      (outcome) => this.o.logger.info({ outcome: outcome.kind }, 'alert scan asked for in chat'),
      (error: unknown) => this.o.logger.error({ err: error, code: errorCodeOf(error) }, 'alert scan failed'),
    );
    return 'started';
  }

  /** Ticks every minute (or every interval, if shorter); returns the stop function. No schedule when the interval is 0. */
  start(): () => void {
    if (this.settings.intervalMinutes <= 0) return () => undefined;
    const tick = Math.min(this.settings.intervalMinutes * MINUTE_MS, MINUTE_MS);
    const repeat = this.o.repeat ?? ((fn: () => void, ms: number) => {
      const timer = setInterval(fn, ms);
      timer.unref();
      return () => clearInterval(timer);
    });
    return repeat(() => {
      this.runIfDue().catch((error: unknown) => this.o.logger.error({ err: error, code: errorCodeOf(error) }, 'alert scan failed'));
    }, tick);
  }

  async subscribe(subscription: Subscription): Promise<boolean> {
    return this.alerts.subscribe(subscription);
  }

  async unsubscribe(conversationId: string): Promise<boolean> {
    return this.alerts.unsubscribe(conversationId);
  }

  async status(conversationId: string): Promise<AlertStatus> {
    const [subscription, subscriptions, lastScan] = await Promise.all([
      this.alerts.subscription(conversationId), this.alerts.subscriptions(), this.alerts.lastScan(),
    ]);
    return { settings: this.settings, subscriptions: subscriptions.length, ...(subscription ? { subscription } : {}), ...(lastScan ? { lastScan } : {}) };
  }

  /** Waits for a scan started by this instance (tests, shutdown). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** One scan per process at a time (the Store lease alone would let this instance re-enter its own lease). */
  private exclusive(force: boolean): Promise<RunOutcome> {
    if (this.running) return Promise.resolve({ kind: 'busy' });
    const run = this.leased(force).finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async leased(force: boolean): Promise<RunOutcome> {
    const held = await this.leases.holdWhile(SCAN_LEASE, async (): Promise<RunOutcome> => {
      const last = await this.alerts.lastScanVersioned();
      const nextAt = last ? Date.parse(last.value.startedAt) + this.settings.intervalMinutes * MINUTE_MS : 0;
      if (!force && (this.settings.intervalMinutes <= 0 || nextAt > this.o.clock.now().getTime())) {
        return { kind: 'not-due', nextAt: new Date(nextAt).toISOString() };
      }
      return this.scanAndDeliver(last?.value, last?.version);
    });
    return held.taken ? held.value : { kind: 'busy' };
  }

  private async scanAndDeliver(last: ScanRecord | undefined, version: string | undefined): Promise<RunOutcome> {
    const startedAt = this.o.clock.now().toISOString();
    let result: ScanResult;
    try {
      result = await this.o.scanner.scan();
    } catch (error) {
      const code = errorCodeOf(error);
      this.o.logger.error({ err: error, code }, 'alert scan failed; findings kept from the previous scan, nothing posted');
      await this.saveScan({ startedAt, finishedAt: this.o.clock.now().toISOString(), ok: false, errorCode: code, findings: last?.findings ?? [] }, version);
      return { kind: 'failed', code };
    }
    const findings = withGapsCarried(last?.findings ?? [], result.findings, result.gaps);
    const delivered = await this.deliverAll(findings);
    await this.saveScan({ startedAt, finishedAt: this.o.clock.now().toISOString(), ok: true, findings, stats: result.stats, gaps: result.gaps, delivered }, version);
    this.o.logger.info({ findings: findings.length, calls: result.stats.calls, notes: result.stats.notes.length, ...delivered }, 'alert scan done');
    return { kind: 'scanned', findings: findings.length, ...delivered, result };
  }

  private async saveScan(record: ScanRecord, version: string | undefined): Promise<void> {
    if (!(await this.alerts.saveScan(record, version))) this.o.logger.warn('another instance saved a newer alert scan (this one lost its lease); keeping theirs');
  }

  private async deliverAll(findings: readonly Finding[]): Promise<{ conversations: number; posts: number; failedPosts: number }> {
    const totals = { conversations: 0, posts: 0, failedPosts: 0 };
    const poster = this.poster;
    if (!poster) return totals;
    const subscriptions = await this.alerts.subscriptions();
    const queue = new PQueue({ concurrency: this.o.postConcurrency ?? 4 });
    await queue.addAll(subscriptions.map((subscription) => async () => {
      const outcome = await this.deliver(poster, subscription, findings);
      totals.conversations += outcome.posts > 0 ? 1 : 0;
      totals.posts += outcome.posts;
      totals.failedPosts += outcome.failed ? 1 : 0;
    }));
    return totals;
  }

  /** Posts in order and records each post as it succeeds; the first failure stops this conversation until the next scan. */
  private async deliver(poster: AlertPoster, subscription: Subscription, findings: readonly Finding[]): Promise<{ posts: number; failed: boolean }> {
    const now = this.o.clock.now();
    const read = await this.alerts.posted(subscription.conversationId);
    const delivery = planDelivery(read?.value ?? {}, findings, now, { reminderHours: this.settings.reminderHours });
    let state: Posted = delivery.unposted;
    let posts = 0;
    let failed = false;
    let refused = false;
    for (const message of alertMessages(delivery.batches, { digestOver: this.settings.digestOver })) {
      try {
        await poster.post(subscription, message.reply);
      } catch (error) {
        failed = true;
        const status = statusOf(error);
        refused = status === 403 || status === 404;
        this.o.logger.warn({ err: error, code: errorCodeOf(error), status, conversation: subscription.conversationId }, 'could not post an alert; it is retried on the next scan');
        break;
      }
      posts += 1;
      state = message.batches.reduce((s: Posted, b: AlertBatch) => applyBatch(s, b, now), state);
    }
    if (refused || (posts > 0 && subscription.refusedPosts)) {
      const removed = await this.alerts.countRefusal(subscription.conversationId, refused, REFUSALS_BEFORE_UNSUBSCRIBE);
      if (removed) {
        this.o.logger.warn({ conversation: subscription.conversationId, scans: REFUSALS_BEFORE_UNSUBSCRIBE }, 'alerts turned off for a conversation that refused every post (the bot was removed from it?)');
        return { posts, failed };
      }
    }
    // Unsubscribed while we posted: leave nothing behind for a conversation that no longer wants alerts.
    if (!(await this.alerts.subscription(subscription.conversationId))) return { posts, failed };
    try {
      await this.alerts.savePosted(subscription.conversationId, state, read?.version);
    } catch (error) {
      // Unsubscribed (or re-subscribed) while we posted: their latest wish wins; nothing else to do.
      if (!(error instanceof VersionConflictError)) throw error;
    }
    return { posts, failed };
  }
}
