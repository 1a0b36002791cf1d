/**
 * The alerts radar: scans on a schedule (or when asked) and hands the findings to AlertDelivery, which posts each
 * subscribed conversation only the difference from what it was already told (src/alerts/delivery.ts).
 * One scan at a time across every instance sharing the Store: a lease (`run-leases/alert-scan`) plus the last
 * scan's start time, so two instances ticking together still make one scan per interval.
 */
import { type Clock, type Repeat } from '../domain/time';
import { startBackgroundJob } from '../background/background-job';
import { withGapsCarried, type Posted } from '../domain/alert-delivery';
import { errorCodeOf } from '../domain/errors';
import { newReferenceId } from '../ids';
import { BLIND_AFTER, radarBackMessage, radarBlindMessage } from './radar-health';
import type { Logger } from '../logging';
import { RunLeases } from '../store/run-lease';
import type { Telemetry } from '../telemetry/telemetry.port';
import type { Store } from '../store/store.port';
import type { Notifier } from '../notify/notifier.port';
import { AlertStore, type ScanRecord, type Subscription } from './alert-store';
import { AlertDelivery, type FindingVisibility } from './delivery';
import type { AlertSettings } from './alert-settings';
import { HealthHistory, healthDayOf, type HealthDay } from './health-history';
import { affectedBy, withoutFixed } from './fixed-findings';

export type { AlertSettings } from './alert-settings';
import type { ScanResult } from './scanner';

export const SCAN_LEASE = 'alert-scan';

export interface FindingsScanner {
  /** `only`: judge just these connections (lower-case ids) in `projects` (src/alerts/fixed-findings.ts). */
  scan(request?: { projects?: readonly string[]; only?: ReadonlySet<string> }): Promise<ScanResult>;
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
  /** Posts the alert cards into subscribed conversations. */
  notifier: Notifier;
  /** This instance's lease identity (tests name instances); random per process by default. */
  owner?: string;
  /** Timer (tests drive it by hand). */
  repeat?: Repeat;
  /** Conversations posted to at once. */
  postConcurrency?: number;
  /** Counts each scan's calls by kind (none by default). */
  telemetry?: Telemetry;
  /** Which findings a conversation may be told about (a policy file's `read`); all when absent. */
  visible?: FindingVisibility;
}

/** The scan's call counts (ScanStats.calls) as the kinds the scan.calls counter names. */
const CALL_KINDS: ReadonlyArray<[keyof ScanResult['stats']['calls'], string]> = [
  ['devopsProjects', 'projects'], ['devopsList', 'list'], ['devopsHistory', 'history'], ['graph', 'graph'], ['devopsOpenAccess', 'open-access'],
];

const MINUTE_MS = 60_000;

export class AlertRadar {
  readonly settings: Readonly<AlertSettings>;
  private readonly alerts: AlertStore;
  private readonly days: HealthHistory;
  private readonly leases: RunLeases;
  private running: Promise<unknown> | undefined;
  /** Alerts this instance posted but could not record (the store failed): recorded before posting there again. */
  private readonly unsaved = new Map<string, Posted>();

  constructor(private readonly o: AlertRadarOptions) {
    this.settings = o.settings;
    this.alerts = new AlertStore(o.store);
    this.days = new HealthHistory(o.store);
    this.leases = new RunLeases({
      store: o.store, clock: o.clock, ...(o.owner ? { owner: o.owner } : {}), ...(o.repeat ? { repeat: o.repeat } : {}),
      onRenewFailed: (_key, error) => o.logger.warn({ err: error }, 'alert scan lease could not be renewed'),
    });
  }

  /** Scans when the last scan (by any instance) is an interval old. */
  runIfDue(): Promise<RunOutcome> {
    return this.exclusive(() => this.leased(false));
  }

  /** Scans now (`alerts scan`), unless a scan is running somewhere. */
  runNow(): Promise<RunOutcome> {
    return this.exclusive(() => this.leased(true));
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

  /**
   * Ticks every minute (or every interval, if shorter); returns the stop function. No schedule when the interval is 0.
   * A tick while this instance scans (a tick's scan or `alerts scan`) is skipped; shutdown stops, then waits for idle().
   */
  start(): () => void {
    if (this.settings.intervalMinutes <= 0) return () => undefined;
    const tick = Math.min(this.settings.intervalMinutes * MINUTE_MS, MINUTE_MS);
    return startBackgroundJob<RunOutcome>({
      name: 'alert scan', everyMs: tick, pass: () => this.runIfDue(), otherwise: { kind: 'busy' }, logger: this.o.logger,
      ...(this.o.repeat ? { repeat: this.o.repeat } : {}),
    }).stop;
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

  /** The daily health records of the last `days` days (the health card's trend), oldest first. */
  async trend(days: number): Promise<HealthDay[]> {
    return this.days.recent(days);
  }

  /**
   * A finished plan changed these connections successfully: their findings it fixed leave the last scan now, not
   * at the next scan (src/alerts/fixed-findings.ts). It holds the scan lease, and this process's one-at-a-time slot
   * as a scan does (`exclusive`), so the last scan is never written by two at once. A plan's outcome waits for this:
   * while a scan runs, here or elsewhere, it is not waited for — that scan, or the next, judges the connections.
   */
  async resolveFixed(changed: readonly string[]): Promise<void> {
    const outcome = await this.exclusive(() => this.rejudge(changed));
    if (outcome.kind === 'resolved') this.o.logger.info({ changed: changed.length, resolved: outcome.resolved }, 'findings fixed by a plan resolved');
    else this.o.logger.info({ changed: changed.length }, 'a scan is running; it or the next judges the connections a plan changed');
  }

  private async rejudge(changed: readonly string[]): Promise<{ kind: 'resolved'; resolved: number } | { kind: 'busy' }> {
    const held = await this.leases.holdWhile(SCAN_LEASE, async () => {
      const last = await this.alerts.lastScanVersioned();
      if (!last) return 0;
      const { ids, projects } = affectedBy(last.value.findings, changed);
      if (ids.size === 0) return 0;
      const findings = withoutFixed(last.value.findings, ids, await this.o.scanner.scan({ projects, only: ids }));
      const resolved = last.value.findings.length - findings.length;
      if (resolved > 0) await this.saveScan({ ...last.value, findings }, last.version);
      return resolved;
    });
    return held.taken ? { kind: 'resolved', resolved: held.value } : { kind: 'busy' };
  }

  /** Waits for a scan started by this instance (tests, shutdown). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /**
   * One scan-lease holder per process at a time, a scan or a plan's re-judging (the Store lease alone would let
   * this instance re-enter its own lease): 'busy' while another runs here.
   */
  private exclusive<T extends { kind: string }>(work: () => Promise<T>): Promise<T | { kind: 'busy' }> {
    if (this.running) return Promise.resolve({ kind: 'busy' });
    const run = work().finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async leased(force: boolean): Promise<RunOutcome> {
    const held = await this.leases.holdWhile(SCAN_LEASE, async (): Promise<RunOutcome> => {
      // Every tick reads when the last scan started; its findings (thousands, in parts) only when a scan is due.
      const lastStart = await this.alerts.lastScanStart();
      const nextAt = lastStart ? Date.parse(lastStart) + this.settings.intervalMinutes * MINUTE_MS : 0;
      if (!force && (this.settings.intervalMinutes <= 0 || nextAt > this.o.clock.now().getTime())) {
        return { kind: 'not-due', nextAt: new Date(nextAt).toISOString() };
      }
      const last = lastStart === undefined ? undefined : await this.alerts.lastScanVersioned();
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
      return this.scanFailed(error, startedAt, last, version);
    }
    const findings = withGapsCarried(last?.findings ?? [], result.findings, result.gaps);
    const delivery = this.delivery();
    if (last?.blindSince) await delivery.broadcast(radarBackMessage(last.blindSince, startedAt));
    const delivered = await delivery.deliverAll(findings);
    await this.saveScan({ startedAt, finishedAt: this.o.clock.now().toISOString(), ok: true, lastOkAt: startedAt, findings, stats: result.stats, gaps: result.gaps, delivered }, version);
    await this.recordDay(healthDayOf(startedAt, findings, result.stats.connections, result.stats.census));
    this.o.logger.info({ findings: findings.length, calls: result.stats.calls, notes: result.stats.notes.length, ...delivered }, 'alert scan done');
    for (const [field, kind] of CALL_KINDS) {
      const calls = result.stats.calls[field] ?? 0;
      if (calls > 0) this.o.telemetry?.count('scan.calls', { kind }, calls);
    }
    return { kind: 'scanned', findings: findings.length, ...delivered, result };
  }

  /**
   * A failed scan keeps the previous findings and posts nothing about them. After BLIND_AFTER failures in a row the
   * subscribers are told once that the radar cannot see (the bot's own credential expiring is exactly the silent
   * failure this product exists to catch); the first scan that works again says so.
   */
  private async scanFailed(error: unknown, startedAt: string, last: ScanRecord | undefined, version: string | undefined): Promise<RunOutcome> {
    const code = errorCodeOf(error);
    const referenceId = newReferenceId();
    this.o.logger.error({ err: error, code, referenceId }, 'alert scan failed; findings kept from the previous scan, nothing posted');
    const failedInARow = (last && !last.ok ? last.failedInARow ?? 1 : 0) + 1;
    const lastOkAt = last?.ok ? last.startedAt : last?.lastOkAt;
    let blindSince = last?.blindSince;
    if (!blindSince && failedInARow >= BLIND_AFTER) {
      await this.delivery().broadcast(radarBlindMessage(code, failedInARow, lastOkAt, referenceId));
      blindSince = startedAt;
    }
    await this.saveScan({
      startedAt, finishedAt: this.o.clock.now().toISOString(), ok: false, errorCode: code, findings: last?.findings ?? [], failedInARow,
      ...(lastOkAt ? { lastOkAt } : {}), ...(blindSince ? { blindSince } : {}),
    }, version);
    return { kind: 'failed', code };
  }

  /** The trend is a picture, not a duty: a day that cannot be written is logged and the next scan writes it. */
  private async recordDay(day: HealthDay): Promise<void> {
    try {
      await this.days.record(day);
    } catch (error) {
      this.o.logger.warn({ err: error, code: errorCodeOf(error) }, 'could not record the day\'s health for the trend');
    }
  }

  private delivery(): AlertDelivery {
    return new AlertDelivery({
      alerts: this.alerts, notifier: this.o.notifier, clock: this.o.clock, logger: this.o.logger, settings: this.settings, unsaved: this.unsaved,
      ...(this.o.postConcurrency ? { concurrency: this.o.postConcurrency } : {}), ...(this.o.visible ? { visible: this.o.visible } : {}),
    });
  }

  private async saveScan(record: ScanRecord, version: string | undefined): Promise<void> {
    if (!(await this.alerts.saveScan(record, version))) this.o.logger.warn('another instance saved a newer alert scan (this one lost its lease); keeping theirs');
  }
}
