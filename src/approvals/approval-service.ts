/**
 * propose → approve / reject → execute, exactly once. Every move of a plan's approval record is a
 * compare-and-swap on its Store version: of ten duplicate taps, two approvers or two bot instances, one write
 * wins and the others re-read and answer from the state it left. Only the winner of approved → executing runs
 * the plan. The card's data is `{ planId, version }` and nothing else is trusted from it.
 */
import { auditMetaFrom } from '../audit/audit-id';
import type { AuditLog } from '../audit/audit-log.port';
import { messageCard } from '../cards/message-view';
import { buildPlanView, planSummaryText } from '../cards/plan-preview-view';
import { newApprovalRecord, type ApprovalPerson, type ApprovalRecord } from '../domain/approval';
import { auditEventForRefused } from '../domain/audit';
import { type Clock, every, type Repeat } from '../domain/time';
import type { Plan } from '../domain/plan';
import { denialHint, denialText, tenantAllowed, type PolicyConfig } from '../domain/policy';
import { mayTap, mayTapPlanHere, tapDenialText, type TapDenial } from '../domain/tap-policy';
import type { MembershipSource } from '../policy/membership-source.port';
import type { PolicyGate } from '../policy/policy-gate';
import { approvalsToShow, tapPlaces } from './policy-approval';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import type { Log } from '../log';
import type { PlanRepository } from '../plans/plan-repository.port';
import type { Store } from '../store/store.port';
import { approvalCard } from './approval-card';
import { ApprovalExecution, type FixedFindings } from './approval-execution';
import { type RunLeases } from '../store/run-lease';
import { ApprovalRecords } from './approval-records';
import { TapDecisions, type TapScope } from './tap-decisions';
import { place } from './people';
import type { CommandCardReply, PlanRunner, Tap } from './types';
import type { Notifier } from '../notify/notifier.port';
import { NO_TELEMETRY, type Telemetry } from '../telemetry/telemetry.port';
import { startBackgroundJob } from '../background/background-job';

export interface ApprovalServiceOptions {
  store: Store;
  plans: PlanRepository;
  audit: AuditLog;
  /** Re-reads the connections before execution (stale check). */
  devops: ServiceEndpoints;
  clock: Clock;
  policy: PolicyConfig;
  runner: PlanRunner;
  /** Updates the original card in place from background work (progress, outcome, stale). */
  notifier: Notifier;
  logger?: Log;
  /** Group lookups for policies that name approver groups (Graph in production). */
  membership?: MembershipSource;
  /** Progress card updates at most every N items or T ms (default 10 items, 2 s). */
  progress?: { everyItems?: number; everyMs?: number };
  /** The run-level lease (owner id, length); one over `store` with defaults when absent. */
  runLeases?: RunLeases;
  /** Plan ids on the turn's span, a span per run, the plan counters (none by default). */
  telemetry?: Telemetry;
  /** The alerts radar: a finished plan resolves the findings it fixed at once. */
  findings?: FixedFindings;
  /** SCBOT_POLICY_FILE's rules; when enforced they decide where taps count and who approves (policy-approval.ts). */
  policyGate?: PolicyGate;
}

const PLAN_ID = /^P-[A-Z0-9]{8}$/;
/** Fingerprints are 16 hex digits; anything else on a card was not written by us. */
const VERSION = /^[0-9a-f]{16}$/;

export class ApprovalService {
  private readonly records: ApprovalRecords;
  private readonly execution: ApprovalExecution;
  private readonly decisions: TapDecisions;
  private readonly telemetry: Telemetry;

  constructor(private readonly options: ApprovalServiceOptions) {
    this.telemetry = options.telemetry ?? NO_TELEMETRY;
    this.records = new ApprovalRecords(options.store);
    this.execution = new ApprovalExecution({ ...options, records: this.records, telemetry: this.telemetry });
    this.decisions = new TapDecisions({ ...options, records: this.records, execution: this.execution, telemetry: this.telemetry });
  }

  /** Records a new plan as proposed and returns its preview card with Approve / Reject (a bare preview when it changes nothing). */
  async propose(plan: Plan, requester: ApprovalPerson, conversation: ApprovalRecord['conversation']): Promise<CommandCardReply> {
    if (plan.items.length === 0) return { text: planSummaryText(plan), view: { template: 'plan-preview', model: buildPlanView(plan) } };
    const made = newApprovalRecord(plan, requester, conversation, this.options.policy, this.options.clock.now());
    const gate = this.options.policyGate;
    const record = gate?.enforced() ? { ...made, approvalsNeeded: approvalsToShow(gate.current(), plan) } : made;
    await this.records.create(record);
    this.telemetry.annotate({ planId: plan.id, operation: plan.operation });
    this.telemetry.count('plans.proposed', { operation: plan.operation });
    return approvalCard(record, plan);
  }

  /** Answers a card tap with the replacement card; long work continues in the background. */
  async tap(tap: Tap): Promise<CommandCardReply> {
    // Strangers first: a tenant not on the allow-list is counted and answered before any plan id is looked up.
    if (!tenantAllowed(this.options.policy, tap.conversation.tenantId)) return this.refuseStranger(tap);
    const data = cardData(tap.data);
    // Every verb, before any plan is read: where the tap comes from and whether it names an Entra account.
    const places = this.tapPlaces();
    const denied = mayTap(places, tap.user, place(tap));
    if (denied) return this.refuseAtGate(tap, data?.planId ?? '', denied);
    if (!data) return this.refuseUnknown(tap, '', 'TAMPERED_CARD');
    const [plan, read] = await Promise.all([this.options.plans.get(data.planId), this.records.get(data.planId)]);
    if (!plan || !read) return this.refuseUnknown(tap, data.planId, 'UNKNOWN_PLAN');
    this.telemetry.annotate({ planId: plan.id, operation: plan.operation });
    // A plan is acted on where it was proposed (or in a named approval conversation); elsewhere it is not even shown.
    if (!mayTapPlanHere(places, read.value.conversation.id, place(tap))) return this.refuseAtGate(tap, plan.id, 'OTHER_CONVERSATION');
    const scope: TapScope = { tap, plan };
    if (data.version !== read.value.planVersion) return this.decisions.refuse(scope, read.value, 'VERSION_MISMATCH', 'This card does not show the current plan.');
    switch (tap.verb) {
      case 'approve': return this.decisions.approve(scope);
      case 'reject': return this.decisions.reject(scope);
      case 'cancel': return this.decisions.cancel(scope);
      case 'retry': return this.decisions.retry(scope);
      case 'refresh': return approvalCard(read.value, plan, { viewer: tap.user });
      default: return this.decisions.refuse(scope, read.value, 'UNKNOWN_ACTION', 'I do not know that button.');
    }
  }

  /** Where taps may come from: the settings' conversations, or under a policy file those its rules name. */
  private tapPlaces(): PolicyConfig {
    const gate = this.options.policyGate;
    return gate?.enforced() ? tapPlaces(this.options.policy, gate.current()) : this.options.policy;
  }

  /**
   * Plans left approved or executing run again; the executor resumes per item. At start-up, and then on every
   * sweep: a plan whose holder died (this process before a restart, or another instance) is taken over once its
   * run lease lapsed; a plan a live holder runs is left to it (the run lease), as is one this instance runs.
   * Start-up reads every record (`everyRecord`, the default); a sweep reads only the open-plans index.
   */
  async resume(options: { everyRecord?: boolean } = { everyRecord: true }): Promise<string[]> {
    const open = await this.records.runnable(options);
    for (const record of open) this.execution.start(record.value.planId, options.everyRecord ? 'start-up' : 'sweep');
    return open.map((r) => r.value.planId);
  }

  /** Sweeps every `ms` (timers unref'd; `repeat` is the tests' hand); returns the stop function. Never overlaps. */
  sweepEvery(ms: number, repeat: Repeat = every): () => void {
    if (ms <= 0) return () => undefined;
    // Unleased: a plan is taken over under its own run lease (execution), so instances may both sweep.
    return startBackgroundJob({
      name: 'plan sweep', everyMs: ms, repeat, otherwise: [] as string[], ...(this.options.logger ? { logger: this.options.logger } : {}),
      pass: () => this.resume({ everyRecord: false }),
    }).stop;
  }

  /** Resolves when no background execution started by this instance is running (tests, shutdown). */
  idle(): Promise<void> {
    return this.execution.idle();
  }

  /**
   * SIGTERM: runs stop starting items and hand their plans over (ApprovalExecution.drain); approvals are still
   * recorded, their runs left to the next instance. idle() resolves once the items in flight have finished.
   */
  drain(): void {
    this.execution.drain();
  }

  get draining(): boolean {
    return this.execution.isDraining;
  }

  private async refuseStranger(tap: Tap): Promise<CommandCardReply> {
    const at = this.options.clock.now();
    await this.options.audit.countRefusal({ ...(tap.conversation.tenantId ? { tenantId: tap.conversation.tenantId } : {}), reason: 'TENANT_NOT_ALLOWED', at });
    const title = denialText('TENANT_NOT_ALLOWED');
    return { text: title, view: messageCard(title, [denialHint('TENANT_NOT_ALLOWED')], [], 'warning') };
  }

  /** Refused before the plan is shown: audited with the code, answered without a word about the plan. */
  private async refuseAtGate(tap: Tap, planId: string, code: TapDenial): Promise<CommandCardReply> {
    await this.options.audit.append(auditEventForRefused(planId, this.meta(tap), code));
    this.options.logger?.warn({ code, planId, user: tap.user.id, conversation: tap.conversation.id }, 'approval tap refused at the gate');
    const { title, hint } = tapDenialText(code);
    return { text: title, view: messageCard(title, [hint], [], 'warning'), refusal: code };
  }

  private meta(tap: Tap) {
    return auditMetaFrom({ clock: this.options.clock, user: tap.user, conversation: tap.conversation, ...(tap.correlationId ? { correlationId: tap.correlationId } : {}) });
  }

  private async refuseUnknown(tap: Tap, planId: string, code: string): Promise<CommandCardReply> {
    const meta = auditMetaFrom({ clock: this.options.clock, user: tap.user, conversation: tap.conversation, ...(tap.correlationId ? { correlationId: tap.correlationId } : {}) });
    await this.options.audit.append(auditEventForRefused(planId, meta, code));
    this.options.logger?.warn({ code, user: tap.user.id }, 'approval tap refused');
    const title = 'I can\'t find that plan.';
    return { text: title, view: messageCard(title, ['The card may be out of date. Ask for the change again to get a new plan.'], [], 'warning'), refusal: code };
  }
}

/** `{ planId, version }` shaped like ours, or nothing: the data comes from a client and may be anything. */
function cardData(data: unknown): { planId: string; version: string } | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const { planId, version } = data as { planId?: unknown; version?: unknown };
  if (typeof planId !== 'string' || typeof version !== 'string') return undefined;
  if (!PLAN_ID.test(planId) || !VERSION.test(version)) return undefined;
  return { planId, version };
}
