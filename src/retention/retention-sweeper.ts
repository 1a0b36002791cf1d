/**
 * Retention: stored state stays bounded. Proposals nobody approved are purged once they expire; plans that ran
 * are kept `planDays` after they settled; the audit trail and the counted stranger refusals `auditDays` (Azure
 * DevOps keeps its own audit log 90 days). One sweep at a time across instances sharing the Store (a run lease),
 * every `sweepMinutes` on an unref'd timer; decisions read the Clock, so tests advance time instead of waiting.
 */
import { APPROVALS_COLLECTION } from '../approvals/approval-records';
import { RUN_LEASES, RunLeases } from '../store/run-lease';
import { type Repeat, type Clock, DAY_MS } from '../domain/time';
import { startBackgroundJob, type BackgroundJob } from '../background/background-job';
import { AUDIT_COLLECTION, AUDIT_PARTS_COLLECTION, REFUSAL_COUNTS_COLLECTION } from '../audit/store-audit-log';
import type { ApprovalRecord, ApprovalState } from '../domain/approval';
import { ITEMS_COLLECTION } from '../execution/item-states';
import type { PlanRepository } from '../plans/plan-repository.port';
import { PLANS_COLLECTION } from '../plans/store-plan-repository';
import { VersionConflictError, type Store } from '../store/store.port';
import { OrphanParts } from './orphan-parts';
import type { RetentionSettings } from './retention-settings';
import type { Log } from '../log';

export { RETENTION_DEFAULTS, type RetentionSettings } from './retention-settings';

export interface RetentionSweeperOptions {
  store: Store;
  plans: PlanRepository;
  clock: Clock;
  settings: Readonly<RetentionSettings>;
  logger: Log;
  repeat?: Repeat;
  owner?: string;
}

export interface SweepReport {
  proposals: number;
  plans: number;
  auditEvents: number;
  refusalCounts: number;
  /** Parts no header names (plans, the radar's records: a save that died half-way), removed on the second sweep that finds them. */
  orphanParts: number;
}

const SWEEP_LEASE = 'retention-sweep';
/** Never executed: purged once the proposal's expiry passed (a card tapped later says the plan is gone). */
const PROPOSALS: readonly ApprovalState[] = ['proposed', 'rejected', 'expired', 'stale'];
const RAN: readonly ApprovalState[] = ['done', 'partially_failed', 'failed'];

export class RetentionSweeper {
  private readonly leases: RunLeases;
  private readonly orphans: OrphanParts;
  private job: BackgroundJob<SweepReport | undefined> | undefined;

  constructor(private readonly o: RetentionSweeperOptions) {
    this.leases = new RunLeases({
      // The lease renews on its own timer: `repeat` is the sweep schedule only.
      store: o.store, clock: o.clock, ...(o.owner ? { owner: o.owner } : {}),
      onRenewFailed: (_key, error) => o.logger.warn({ err: error }, 'retention lease could not be renewed'),
    });
    this.orphans = new OrphanParts(o.store);
  }

  /** Sweeps now and then every sweepMinutes; returns the stop function (idle() waits for a sweep in flight). */
  start(): () => void {
    if (this.o.settings.sweepMinutes <= 0) return () => undefined;
    const job = startBackgroundJob<SweepReport | undefined>({
      name: 'retention sweep', everyMs: this.o.settings.sweepMinutes * 60_000, otherwise: undefined, logger: this.o.logger,
      ...(this.o.repeat ? { repeat: this.o.repeat } : {}), pass: () => this.sweepExclusive(),
    });
    this.job = job;
    void job.runOnce();
    return job.stop;
  }

  /** Resolves when no scheduled sweep of this instance is running (shutdown, tests). */
  async idle(): Promise<void> {
    await this.job?.idle();
  }

  /** One sweep, unless another instance is sweeping (then undefined). */
  async sweepExclusive(): Promise<SweepReport | undefined> {
    const held = await this.leases.holdWhile(SWEEP_LEASE, () => this.sweep());
    return held.taken ? held.value : undefined;
  }

  async sweep(): Promise<SweepReport> {
    const now = this.o.clock.now().getTime();
    const report: SweepReport = { proposals: 0, plans: 0, auditEvents: 0, refusalCounts: 0, orphanParts: 0 };
    const records = await this.o.store.list<ApprovalRecord>(APPROVALS_COLLECTION);
    for (const { value: record, version } of records) {
      const kind = PROPOSALS.includes(record.state) && Date.parse(record.expiresAt) <= now ? 'proposals'
        : RAN.includes(record.state) && Date.parse(record.updatedAt) + this.o.settings.planDays * DAY_MS <= now ? 'plans' : undefined;
      if (!kind || !(await this.deleteRecord(record.planId, version))) continue;
      await this.purgePlan(record.planId);
      report[kind] += 1;
    }
    report.plans += await this.purgeUnrecordedPlans(new Set(records.map((r) => r.value.planId)), now);
    report.orphanParts = await this.orphans.sweep();
    const auditCutoff = new Date(now - this.o.settings.auditDays * DAY_MS).toISOString();
    report.auditEvents = await this.purgeKeysBefore(AUDIT_COLLECTION, auditCutoff);
    await this.purgeKeysBefore(AUDIT_PARTS_COLLECTION, auditCutoff);
    report.refusalCounts = await this.purgeKeysBefore(REFUSAL_COUNTS_COLLECTION, auditCutoff.slice(0, 13));
    if (Object.values(report).some((n) => n > 0)) this.o.logger.info({ ...report }, 'retention sweep purged records');
    return report;
  }

  /**
   * The approval record goes first, at the version read: a record that moved since (a tap) is left for the next
   * sweep. A sweep that dies after it leaves a plan with no record, which purgeUnrecordedPlans finishes.
   */
  private async deleteRecord(planId: string, version: string): Promise<boolean> {
    try {
      await this.o.store.delete(APPROVALS_COLLECTION, planId, version);
      return true;
    } catch (error) {
      if (error instanceof VersionConflictError) return false;
      throw error;
    }
  }

  private async purgePlan(planId: string): Promise<void> {
    for (const key of await this.o.store.keys(ITEMS_COLLECTION, `${planId}/`)) await this.o.store.delete(ITEMS_COLLECTION, key);
    await this.o.store.delete(RUN_LEASES, planId);
    await this.o.plans.delete(planId);
  }

  /** Plans saved without an approval record (previews while approvals are off) go when a plan that ran would. */
  private async purgeUnrecordedPlans(recorded: ReadonlySet<string>, now: number): Promise<number> {
    let purged = 0;
    for (const planId of await this.o.store.keys(PLANS_COLLECTION)) {
      if (recorded.has(planId)) continue;
      const plan = await this.o.store.get<{ createdAt?: string }>(PLANS_COLLECTION, planId);
      const created = Date.parse(plan?.value.createdAt ?? '');
      if (Number.isNaN(created) || created + this.o.settings.planDays * DAY_MS > now) continue;
      await this.purgePlan(planId);
      purged += 1;
    }
    return purged;
  }

  /** Keys that sort before `cutoff` (audit keys and refusal hours start with their ISO time). */
  private async purgeKeysBefore(collection: string, cutoff: string): Promise<number> {
    const old = (await this.o.store.keys(collection)).filter((key) => key < cutoff);
    for (const key of old) await this.o.store.delete(collection, key);
    return old.length;
  }
}
