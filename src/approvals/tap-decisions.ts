/**
 * What one tap does to a proposed plan. Each decision reads the record, decides, and writes with the version it
 * read; a conflict means someone else moved the plan first, so it reads again and decides from the new state.
 */
import { auditMetaFrom } from '../audit/audit-id';
import type { AuditLog } from '../audit/audit-log.port';
import { newPlanId } from '../ids';
import { isExpired, newApprovalRecord, samePerson, transition, type ApprovalRecord, type ApprovalState } from '../domain/approval';
import { auditEventForApproved, auditEventForExpired, auditEventForRefused, auditEventForRejected, auditEventForRequested, withPolicy } from '../domain/audit';
import type { AuditMeta, AuditPolicy } from '../domain/audit';
import { tapDenialText } from '../domain/tap-policy';
import type { Clock } from '../domain/time';
import type { Plan } from '../domain/plan';
import { denialText, mayApprove, mayRequest, type Decision, type DenialCode, type PolicyConfig } from '../domain/policy';
import type { MembershipSource } from '../policy/membership-source.port';
import { decideWithMembership } from '../policy/principal';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import type { Log } from '../log';
import type { PlanRepository } from '../plans/plan-repository.port';
import { VersionConflictError, type Versioned } from '../store/store.port';
import { approvalCard } from './approval-card';
import type { ApprovalExecution } from './approval-execution';
import type { ApprovalRecords } from './approval-records';
import { person, place, principal } from './people';
import type { CommandCardReply, Tap } from './types';
import { NO_TELEMETRY, type Telemetry } from '../telemetry/telemetry.port';
import type { PolicyGate } from '../policy/policy-gate';
import { decideTap, mayRejectByPolicy, mayRetryByPolicy } from './policy-approval';

export interface TapScope {
  tap: Tap;
  plan: Plan;
}

export interface TapDecisionsOptions {
  records: ApprovalRecords;
  execution: ApprovalExecution;
  plans: PlanRepository;
  audit: AuditLog;
  devops: ServiceEndpoints;
  clock: Clock;
  policy: PolicyConfig;
  logger?: Log;
  /** Group lookups for policies that name approver groups. */
  membership?: MembershipSource;
  telemetry?: Telemetry;
  /** SCBOT_POLICY_FILE's rules; when enforced they decide approvals (policy-approval.ts) instead of `policy`. */
  policyGate?: PolicyGate;
}

/** One approval tap's answer before any write: refused, or accepted (and whether the plan is then approved). */
type Verdict =
  | { refused: { code: string; text: string; audit?: AuditPolicy } }
  | { complete: boolean; patch: Partial<ApprovalRecord>; audit?: AuditPolicy };

const RESTARTING = 'Approved. The bot is restarting: the change starts in a moment, and this card will show its progress.';

/** Enough for any realistic burst of concurrent taps; each lost race means someone else made progress. */
const MAX_ATTEMPTS = 50;

type Step = CommandCardReply | 'conflict';

export class TapDecisions {
  constructor(private readonly o: TapDecisionsOptions) {}

  approve(scope: TapScope): Promise<CommandCardReply> {
    return this.withRetries(scope, (read) => this.approveOnce(scope, read));
  }

  reject(scope: TapScope): Promise<CommandCardReply> {
    return this.withRetries(scope, async (read) => {
      const { tap } = scope;
      const requesterCancels = samePerson(read.value.requester, tap.user);
      const refusal = requesterCancels ? undefined : await this.rejectRefusal(scope, read.value);
      if (refusal) return this.refuse(scope, read.value, refusal, denialText(refusal));
      const moved = await this.move(read, 'rejected', { decidedBy: person(tap.user) });
      if (moved === 'conflict') return moved;
      await this.o.audit.append(auditEventForRejected(scope.plan, this.meta(tap), requesterCancels ? 'CANCELLED_BY_REQUESTER' : 'REJECTED_BY_APPROVER'));
      this.o.logger?.info({ planId: scope.plan.id, user: tap.user.id, by: requesterCancels ? 'requester' : 'approver' }, requesterCancels ? 'plan cancelled' : 'plan rejected');
      return approvalCard(moved, scope.plan, { viewer: tap.user });
    });
  }

  /** The requester withdraws a proposed plan; anyone else is refused (identity: the Entra object id, see samePerson). */
  cancel(scope: TapScope): Promise<CommandCardReply> {
    return this.withRetries(scope, async (read) => {
      const { tap } = scope;
      if (!samePerson(read.value.requester, tap.user)) return this.refuse(scope, read.value, 'NOT_THE_REQUESTER', tapDenialText('NOT_THE_REQUESTER').title);
      const moved = await this.move(read, 'rejected', { decidedBy: person(tap.user) });
      if (moved === 'conflict') return moved;
      await this.o.audit.append(auditEventForRejected(scope.plan, this.meta(tap), 'CANCELLED_BY_REQUESTER'));
      return approvalCard(moved, scope.plan, { viewer: tap.user });
    });
  }

  /**
   * Partially failed → a NEW plan of the failed items, which goes through approval like any other. The new plan's
   * id is claimed on the old record first (compare-and-swap), so duplicate taps make one plan, not several.
   */
  async retry(scope: TapScope): Promise<CommandCardReply> {
    const { plan } = scope;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const read = await this.o.records.get(plan.id);
      if (!read || read.value.state !== 'partially_failed') return this.answer(scope, read?.value);
      if (read.value.retriedAs) return this.retriedCard(scope, read.value);
      const denied = await this.retryDenial(scope, read.value);
      if (denied) return this.refuse(scope, read.value, denied, denialText(denied));
      const claimed: ApprovalRecord = { ...read.value, retriedAs: newPlanId(), updatedAt: this.o.clock.now().toISOString() };
      try {
        await this.o.records.replace(claimed, read.version);
      } catch (error) {
        if (error instanceof VersionConflictError) continue;
        throw error;
      }
      return this.proposeRetry(scope, claimed);
    }
    return this.answer(scope, (await this.o.records.get(plan.id))?.value);
  }

  private async proposeRetry(scope: TapScope, old: ApprovalRecord): Promise<CommandCardReply> {
    const { tap, plan } = scope;
    const failed = new Set((old.outcome?.failedIds ?? []).map((id) => id.toLowerCase()));
    const now = this.o.clock.now();
    const next: Plan = { ...plan, id: old.retriedAs ?? newPlanId(), createdAt: now.toISOString(), items: plan.items.filter((i) => failed.has(i.endpointId.toLowerCase())), skipped: [] };
    await this.o.plans.save(next);
    await this.o.audit.append(auditEventForRequested(next, this.meta(tap)));
    const record = newApprovalRecord(next, person(tap.user), { id: tap.conversation.id, type: tap.conversation.type, ...(tap.conversation.tenantId ? { tenantId: tap.conversation.tenantId } : {}) }, this.o.policy, now);
    await this.o.records.create(record);
    return approvalCard(record, next, { viewer: tap.user });
  }

  /** A duplicate retry tap: the plan the first one made, or (while it is being saved) the old plan's card. */
  private async retriedCard(scope: TapScope, old: ApprovalRecord): Promise<CommandCardReply> {
    const id = old.retriedAs ?? '';
    const [plan, read] = await Promise.all([this.o.plans.get(id), this.o.records.get(id)]);
    return plan && read ? approvalCard(read.value, plan, { viewer: scope.tap.user }) : this.answer(scope, old);
  }

  /** A retry is a new request: under a policy file every failed connection is checked for this person again. */
  private async retryDenial(scope: TapScope, old: ApprovalRecord): Promise<DenialCode | undefined> {
    const gate = this.o.policyGate;
    if (!gate?.enforced()) {
      const decision = mayRequest(this.o.policy, principal(scope.tap.user), place(scope.tap));
      return decision.allowed ? undefined : decision.code;
    }
    return (await mayRetryByPolicy(gate, scope.plan, old.outcome?.failedIds ?? [], scope.tap)) ? undefined : 'NOT_A_REQUESTER';
  }

  /** Who may reject: under a policy file an approver of a rule the plan needs, else the settings' approvers. */
  private async rejectRefusal(scope: TapScope, record: ApprovalRecord): Promise<DenialCode | undefined> {
    const gate = this.o.policyGate;
    if (gate?.enforced()) return (await mayRejectByPolicy(gate, scope.plan, scope.tap)) ? undefined : 'NOT_AN_APPROVER';
    const decision = await this.mayApprove(scope.tap, record, []);
    return decision.allowed ? undefined : decision.code;
  }

  /** The policy's answer; group membership is looked up only when it can change it. */
  private mayApprove(tap: Tap, record: ApprovalRecord, prior: readonly string[]): Promise<Decision> {
    return decideWithMembership(principal(tap.user), this.o.policy.approvers.groups, this.o.membership,
      (who) => mayApprove(this.o.policy, principal(record.requester), who, place(tap), prior));
  }

  /** A policy refusal: audited with its code, answered with the plan's current card and one specific line. */
  async refuse(scope: TapScope, record: ApprovalRecord, code: string, text: string, policy?: AuditPolicy): Promise<CommandCardReply> {
    await this.o.audit.append(withPolicy(auditEventForRefused(scope.plan, this.meta(scope.tap), code), policy));
    this.o.logger?.warn({ planId: scope.plan.id, code, user: scope.tap.user.id }, 'approval tap refused');
    return { ...approvalCard(record, scope.plan, { viewer: scope.tap.user, notice: { text } }), refusal: code };
  }

  /** The settings' four-eyes rule: enough distinct approvers, counted on the record. */
  private async settingsVerdict(tap: Tap, record: ApprovalRecord): Promise<Verdict> {
    const decision = await this.mayApprove(tap, record, record.approvers.map((a) => a.aadObjectId ?? a.id));
    if (!decision.allowed) return { refused: { code: decision.code, text: denialText(decision.code) } };
    return { complete: record.approvers.length + 1 >= record.approvalsNeeded, patch: {} };
  }

  /** The policy file's rules: each one that covers the plan needs its own approvals (policy-approval.ts). */
  private async policyVerdict(gate: PolicyGate, scope: TapScope, record: ApprovalRecord): Promise<Verdict> {
    const verdict = await decideTap(gate, scope.plan, record, scope.tap);
    if (!verdict.accepted) return { refused: verdict };
    const given = { approver: scope.tap.user.aadObjectId ?? '', rules: verdict.countsFor };
    return { complete: verdict.complete, patch: { policyApprovals: [...(record.policyApprovals ?? []), given] }, audit: verdict.audit };
  }

  private async approveOnce(scope: TapScope, read: Versioned<ApprovalRecord>): Promise<Step> {
    const { tap, plan } = scope;
    const record = read.value;
    const gate = this.o.policyGate;
    const verdict = gate?.enforced() ? await this.policyVerdict(gate, scope, record) : await this.settingsVerdict(tap, record);
    if ('refused' in verdict) return this.refuse(scope, record, verdict.refused.code, verdict.refused.text, verdict.refused.audit);
    const approvers = [...record.approvers, person(tap.user)];
    const card = record.card ?? tap.card;
    if (!verdict.complete) {
      const moved = await this.move(read, 'proposed', { approvers, ...verdict.patch, ...(card ? { card } : {}) });
      if (moved === 'conflict') return moved;
      await this.o.audit.append(withPolicy(auditEventForApproved(plan, this.meta(tap)), verdict.audit));
      this.o.logger?.info({ planId: plan.id, user: tap.user.id, approvals: `${approvers.length}/${record.approvalsNeeded}` }, 'plan approved, waiting for another approver');
      return approvalCard(moved, plan, { viewer: tap.user });
    }
    // The re-read that may find the plan stale runs in the background, right before execution: the tap is answered
    // at once however slow (or throttled) Azure DevOps is, and the card changes in place if it turns out stale.
    const moved = await this.move(read, 'approved', { approvers, ...verdict.patch, ...(card ? { card } : {}) });
    if (moved === 'conflict') return moved;
    await this.o.audit.append(withPolicy(auditEventForApproved(plan, this.meta(tap)), verdict.audit));
    this.o.logger?.info({ planId: plan.id, user: tap.user.id, approvals: `${approvers.length}/${record.approvalsNeeded}` }, 'plan approved, executing');
    (this.o.telemetry ?? NO_TELEMETRY).count('plans.approved', { operation: plan.operation });
    // While this instance drains (SIGTERM) the approval stands and the run is left to the next instance.
    if (!this.o.execution.start(plan.id)) return approvalCard(moved, plan, { viewer: tap.user, notice: { text: RESTARTING } });
    return approvalCard({ ...moved, state: 'executing' }, plan, { viewer: tap.user, progress: { done: 0, total: plan.items.length } });
  }

  /**
   * Reads, expires when due, and runs `decide` on a proposed plan; any other state is answered as it is. A
   * lost compare-and-swap loops: the next read sees the winner's state.
   */
  private async withRetries(scope: TapScope, decide: (read: Versioned<ApprovalRecord>) => Promise<Step>): Promise<CommandCardReply> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const read = await this.o.records.get(scope.plan.id);
      if (!read || read.value.state !== 'proposed') return this.answer(scope, read?.value);
      const step = isExpired(read.value, this.o.clock.now()) ? await this.expire(scope, read) : await decide(read);
      if (step !== 'conflict') return step;
    }
    return this.answer(scope, (await this.o.records.get(scope.plan.id))?.value);
  }

  private async expire(scope: TapScope, read: Versioned<ApprovalRecord>): Promise<Step> {
    const moved = await this.move(read, 'expired', { decidedBy: person(scope.tap.user) });
    if (moved === 'conflict') return moved;
    await this.o.audit.append(auditEventForExpired(scope.plan, this.meta(scope.tap)));
    return approvalCard(moved, scope.plan, { viewer: scope.tap.user, notice: { text: 'This plan expired before it was approved.' } });
  }

  /** The card for a plan no tap can change any more (or that someone else just moved). */
  private answer(scope: TapScope, record: ApprovalRecord | undefined): CommandCardReply {
    if (!record) throw new Error(`approval record for ${scope.plan.id} vanished`);
    return approvalCard(record, scope.plan, { viewer: scope.tap.user });
  }

  private async move(read: Versioned<ApprovalRecord>, to: ApprovalState, patch: Partial<ApprovalRecord>): Promise<ApprovalRecord | 'conflict'> {
    const next = transition(read.value, to, this.o.clock.now(), patch);
    try {
      await this.o.records.replace(next, read.version);
      return next;
    } catch (error) {
      if (error instanceof VersionConflictError) return 'conflict';
      throw error;
    }
  }

  private meta(tap: Tap): AuditMeta {
    return auditMetaFrom({ clock: this.o.clock, user: person(tap.user), conversation: { id: tap.conversation.id, type: tap.conversation.type }, ...(tap.correlationId ? { correlationId: tap.correlationId } : {}) });
  }
}
