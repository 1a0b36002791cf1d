/**
 * The background half of an approval: claim the plan, run it, audit each connection's outcome, record the final
 * state and keep the original card up to date. Progress updates are throttled and sent one after another, so they
 * never arrive out of order.
 *
 * Exactly once is three locks, each inside the one before, all compare-and-swap on the shared Store:
 *   1. the approval record: approved → executing is written with the version read, so of any number of taps,
 *      approvers or instances exactly one claims the plan (a loser sees the conflict and leaves);
 *   2. the run lease (src/store/run-lease.ts): the claimant holds `run-leases/<planId>` (15 s) and renews it every
 *      5 s while it lives; an instance resuming an `executing` plan takes it only once it lapsed, so a live run is
 *      never doubled;
 *   3. the item lease (src/execution/executor.ts): each item's state record names the run that is executing it; the
 *      run's heartbeat (src/execution/run-heartbeat.ts) keeps it for as long as the run lives, and for 15 s after
 *      its last progress; a second run skips an item held by a live run and resumes one whose run went quiet.
 * A run that loses its run lease starts no new item; items in flight finish under their item leases. Every instance
 * sweeps every 2 s (ApprovalService.sweepEvery, wired in bot/compose.ts), so a plan whose holder died (kill -9 here
 * before a restart, or on another instance) is taken over within one lease period and a sweep, not only at start-up.
 * A drained one (SIGTERM, drain()) released its leases, so the next sweep or start-up takes it over at once.
 */
import { auditMetaFrom } from '../audit/audit-id';
import type { AuditLog } from '../audit/audit-log.port';
import { finalState, transition, type ApprovalRecord } from '../domain/approval';
import { auditEventForExecuted, auditEventForStale, BOT_ACTOR } from '../domain/audit';
import type { Clock } from '../domain/time';
import type { Plan } from '../domain/plan';
import type { Log } from '../log';
import type { PlanRepository } from '../plans/plan-repository.port';
import type { RunItem, RunReport } from '../execution/run-report';
import { VersionConflictError, type Store, type Versioned } from '../store/store.port';
import { CardUpdates } from './card-updates';
import type { ApprovalRecords } from './approval-records';
import { RunLeases } from '../store/run-lease';
import type { PlanRunner } from './types';
import type { Notifier } from '../notify/notifier.port';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import { changedSincePreview } from './stale-check';
import { NO_TELEMETRY, type Telemetry } from '../telemetry/telemetry.port';

/** What started a run: the last approval, the start-up resume, or a sweep finding a plan its holder left. */
export type RunTrigger = 'approval' | 'start-up' | 'sweep';

export interface ApprovalExecutionOptions {
  records: ApprovalRecords;
  plans: PlanRepository;
  audit: AuditLog;
  clock: Clock;
  runner: PlanRunner;
  notifier: Notifier;
  logger?: Log;
  progress?: { everyItems?: number; everyMs?: number };
  /** Where the run-level lease lives (the shared Store); without it, no run lease is taken (single instance). */
  store?: Store;
  /** The run lease (owner id, length, renewal); built over `store` with defaults when absent. */
  runLeases?: RunLeases;
  /** Re-reads the plan's connections right before execution (the stale check); absent = the executor's per-item check only. */
  devops?: ServiceEndpoints;
  /** A span per run, and the executed / failed counters. */
  telemetry?: Telemetry;
  /** The alerts radar: the findings a run fixed are resolved when it finishes (absent: at the next scan). */
  findings?: FixedFindings;
}

/** Resolves the findings about connections a plan changed successfully that its change fixed (src/alerts/radar.ts). */
export interface FixedFindings {
  resolveFixed(changed: readonly string[]): Promise<void>;
}

export class ApprovalExecution {
  private readonly running = new Set<Promise<void>>();
  /** Plans this instance is running now: a sweep or a second tap never starts a second local run of one. */
  private readonly local = new Set<string>();
  private readonly leases: RunLeases | undefined;
  private readonly draining = new AbortController();
  private readonly telemetry: Telemetry;

  constructor(private readonly o: ApprovalExecutionOptions) {
    this.telemetry = o.telemetry ?? NO_TELEMETRY;
    this.leases = o.runLeases ?? (o.store ? new RunLeases({
      store: o.store, clock: o.clock,
      onRenewFailed: (planId, err) => o.logger?.warn({ err, planId }, 'run lease renewal failed'),
    }) : undefined);
  }

  /**
   * Runs the plan in the background if this call wins the claim; never throws (failures are logged). A plan this
   * instance already runs is left to that run (the run lease alone would let the same owner in twice). False while
   * draining: the plan stays approved or executing for the next instance (its sweep, or this one's successor).
   */
  start(planId: string, trigger: RunTrigger = 'approval'): boolean {
    if (this.draining.signal.aborted) return false;
    if (this.local.has(planId)) return true;
    this.local.add(planId);
    const run = this.claimAndRun(planId, trigger).catch((error: unknown) => {
      this.o.logger?.warn({ err: error, planId }, 'approved plan did not finish');
    }).finally(() => this.local.delete(planId));
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return true;
  }

  /**
   * The process is stopping (SIGTERM): no run starts from now on, and the runs in flight start no new item. Each
   * finishes the items it has started, then ends as a run whose lease was lost does: without settling the plan,
   * releasing its run lease and heartbeat, so another instance resumes the plan at once (idle() says when).
   */
  drain(): void {
    this.draining.abort();
  }

  get isDraining(): boolean {
    return this.draining.signal.aborted;
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async claimAndRun(planId: string, trigger: RunTrigger): Promise<void> {
    const [read, plan] = await Promise.all([this.o.records.get(planId), this.o.plans.get(planId)]);
    if (!read || !plan) return;
    if (read.value.state === 'approved') {
      const changed = await this.changedSincePreview(plan);
      if (changed.length > 0) return this.markStale(plan, read, changed);
      let claimed: Versioned<ApprovalRecord>;
      try {
        claimed = await this.o.records.replace(transition(read.value, 'executing', this.o.clock.now()), read.version);
      } catch (error) {
        // Another tap or instance claimed it: that one runs the plan.
        if (error instanceof VersionConflictError) return;
        throw error;
      }
      // An instance resuming `executing` plans may have taken the run lease first: then that one runs it.
      return this.underLease(planId, (lost) => this.run(plan, claimed, trigger, lost));
    }
    if (read.value.state !== 'executing') return;
    // Resumed after a restart (the executor skips finished items), unless another live instance holds the run.
    return this.underLease(planId, async (lost) => {
      // Re-read under the lease: the previous owner may have finished between our read and our take.
      const current = await this.o.records.get(planId);
      if (current?.value.state === 'executing') await this.run(plan, current, trigger, lost);
    });
  }

  /**
   * The whole-plan check: any connection changed since the preview → nothing runs. When the re-read itself fails,
   * the executor's own per-item re-read still skips whatever changed, so the run goes ahead on that guarantee.
   */
  private async changedSincePreview(plan: Plan): Promise<string[]> {
    if (!this.o.devops) return [];
    try {
      return await changedSincePreview(this.o.devops, plan);
    } catch (error) {
      this.o.logger?.warn({ err: error, planId: plan.id }, 'stale check failed; the executor re-reads each connection before writing it');
      return [];
    }
  }

  /** approved → stale (compare-and-swap: one instance records it), audited, and the card says why nothing ran. */
  private async markStale(plan: Plan, read: Versioned<ApprovalRecord>, changed: string[]): Promise<void> {
    const actor = read.value.approvers[read.value.approvers.length - 1] ?? read.value.requester;
    let moved: ApprovalRecord;
    try {
      moved = transition(read.value, 'stale', this.o.clock.now(), { decidedBy: actor });
      await this.o.records.replace(moved, read.version);
    } catch (error) {
      if (error instanceof VersionConflictError) return;
      throw error;
    }
    const meta = auditMetaFrom({ clock: this.o.clock, user: actor, conversation: { id: moved.conversation.id, type: moved.conversation.type }, correlationId: plan.id });
    await this.o.audit.append(auditEventForStale(plan, meta, changed));
    const updates = new CardUpdates(this.o.notifier, moved, plan, this.o.clock, this.o.progress, this.o.logger);
    await updates.final(moved, { text: 'A connection changed since the preview, so nothing was executed.' });
  }

  private async underLease(planId: string, work: (lost?: AbortSignal) => Promise<void>): Promise<void> {
    if (!this.leases) return work();
    const held = await this.leases.holdWhile(planId, work);
    // Debug: the sweeper asks every few seconds while another live instance runs the plan.
    if (!held.taken) this.o.logger?.debug?.({ planId }, 'another instance holds the run lease; leaving the plan to it');
  }

  /** One run of the plan, in a trace of its own (linked to the approving turn's, when there is one). */
  private run(plan: Plan, claimed: Versioned<ApprovalRecord>, trigger: RunTrigger, lost?: AbortSignal): Promise<void> {
    const attributes = { planId: plan.id, operation: plan.operation, items: plan.items.length, trigger };
    this.o.logger?.info(attributes, 'plan run started');
    return this.telemetry.span('scbot.plan.run', attributes, () => this.runUnderSpan(plan, claimed, lost), { root: true });
  }

  private async runUnderSpan(plan: Plan, claimed: Versioned<ApprovalRecord>, lost?: AbortSignal): Promise<void> {
    const updates = new CardUpdates(this.o.notifier, claimed.value, plan, this.o.clock, this.o.progress, this.o.logger);
    const startedAt = this.o.clock.now().toISOString();
    // Stop starting items when the lease is lost or the process drains; the items in flight finish either way.
    const signal = lost ? AbortSignal.any([lost, this.draining.signal]) : this.draining.signal;
    const report = await this.o.runner.run(plan, { onProgress: (done, total) => updates.progress(done, total), signal });
    // Items another live run holds are not ours to report: that run records the outcome.
    if (report.items.some((i) => i.reason?.kind === 'another-run')) {
      this.telemetry.annotate({ outcome: 'handed-over' });
      return updates.flush();
    }
    await this.auditOutcomes(plan, claimed.value, report);
    // Before the plan settles: a process that dies in between leaves it executing, and the resumed run does this.
    await this.resolveFixed(plan, report);
    const settled = await this.settle(plan.id, report, startedAt);
    await updates.flush();
    if (settled) this.counted(plan, settled);
    // The outcome card says per connection what happened: the report has the typed reasons, worded when drawn.
    if (settled) await updates.final(settled, undefined, report);
  }

  private counted(plan: Plan, settled: ApprovalRecord): void {
    const attributes = { operation: plan.operation, outcome: settled.state };
    this.telemetry.annotate({ outcome: settled.state });
    this.telemetry.count('plans.executed', attributes);
    if (settled.state === 'failed' || settled.state === 'partially_failed') this.telemetry.count('plans.failed', attributes);
  }

  private async auditOutcomes(plan: Plan, record: ApprovalRecord, report: RunReport): Promise<void> {
    // The bot made the change with its own identity; the people are who asked and who approved it.
    const people = { requestedBy: record.requester, approvedBy: record.approvers };
    const planned = new Set(plan.items.map((i) => i.endpointId.toLowerCase()));
    // A resumed run reports finished items again: each connection's outcome is recorded once.
    const recorded = new Set((await this.o.audit.query({ planId: plan.id }))
      .filter((e) => e.kind === 'executed').flatMap((e) => e.connections.map((c) => c.endpointId.toLowerCase())));
    for (const item of report.items.filter((i) => planned.has(i.endpointId.toLowerCase()) && !recorded.has(i.endpointId.toLowerCase()))) {
      const meta = auditMetaFrom({ clock: this.o.clock, user: BOT_ACTOR, conversation: { id: record.conversation.id, type: record.conversation.type }, correlationId: plan.id });
      await this.o.audit.append(auditEventForExecuted(plan, meta, item.endpointId, { status: item.status, ...(reasonOf(item) ? { reason: reasonOf(item) } : {}) }, people));
    }
  }

  /** A failure here never fails the run: the next scan judges the connections anyway. */
  private async resolveFixed(plan: Plan, report: RunReport): Promise<void> {
    const done = report.items.filter((i) => i.status === 'done').map((i) => i.endpointId);
    if (!this.o.findings || done.length === 0) return;
    try {
      await this.o.findings.resolveFixed(done);
    } catch (error) {
      this.o.logger?.warn({ err: error, planId: plan.id }, 'could not resolve the findings the plan fixed; the next scan will');
    }
  }

  /** executing → done | partially failed | failed, re-reading on a conflict (another writer only adds the card). */
  private async settle(planId: string, report: RunReport, startedAt: string): Promise<ApprovalRecord | undefined> {
    const failedIds = report.items.filter((i) => i.status === 'failed').map((i) => i.endpointId);
    // The first few failures with their reasons, so the card says what to do (e.g. the credential an owner must add).
    const failures = report.items.filter((i) => i.status === 'failed').slice(0, FAILURES_SHOWN)
      .map((i) => ({ endpointId: i.endpointId, name: i.name, ...(i.reason ? { reason: i.reason } : {}), ...(i.code ? { code: i.code } : {}) }));
    const outcome = { ...report.counts, failedIds, startedAt, finishedAt: this.o.clock.now().toISOString(), ...(failures.length ? { failures } : {}) };
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const read = await this.o.records.get(planId);
      if (!read || read.value.state !== 'executing') return read?.value;
      const next = transition(read.value, finalState(report.counts), this.o.clock.now(), { outcome });
      try {
        await this.o.records.replace(next, read.version);
        return next;
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
    return undefined;
  }
}

const FAILURES_SHOWN = 5;

function reasonOf(item: RunItem): string | undefined {
  if (item.code) return item.code;
  if (item.status !== 'skipped') return undefined;
  return item.reason?.kind === 'changed-since-preview' ? 'CHANGED_SINCE_PREVIEW' : 'SKIPPED';
}
