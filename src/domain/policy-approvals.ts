/**
 * Who must approve a plan, and does this tap count. Every rule that covers a connection of the plan must be
 * satisfied: `approvals` distinct approvers from its own approvers, in a conversation it lists (one person may count
 * for several rules; never the requester). Where a rule asks for a `devOpsRole`, an approver counts for it only if
 * Azure DevOps says they hold that role on each of its connections in the plan. A freeze refuses at approval too.
 */
import type { ErrorCode } from './errors';
import { roleIncludes, type DevOpsRole } from './devops-roles';
import type { Principal } from './policy';
import { freezesOn, listsConversation, listsPerson, ruleCovers, type People, type Policy, type PolicyRule, type Target } from './policy-rules';
import { answerFor, neededRole, questionFor, scopeOf, type RoleAnswers, type RoleQuestion } from './policy-role-questions';

export interface PlanFacts {
  operation: string;
  /** The connections the plan keeps (after skipping). */
  targets: readonly Target[];
  /** Deep delete or delete everywhere (isDeepPlan in policy.ts): escalations with `deep` apply. */
  deep: boolean;
}

export interface Requirement {
  rule: string;
  needed: number;
  approvers: People;
  devOpsRole: PolicyRule['devOpsRole'];
  /** Where approvals for this rule may be given. */
  conversations: readonly string[];
  targets: readonly Target[];
}

/** An approval already given: by whom (Entra object id) and which rules it counted for then. */
export interface ApprovalGiven {
  approver: string;
  rules: readonly string[];
}

export interface RequirementProgress {
  rule: string;
  needed: number;
  have: number;
  approvers: People;
}

export type ApprovalRefusal =
  | { code: 'FROZEN'; freezes: readonly string[] }
  | { code: 'CONVERSATION_NOT_ALLOWED' }
  | { code: 'NOT_AN_APPROVER'; rules: readonly string[] }
  | { code: 'OWN_REQUEST' }
  | { code: 'ALREADY_APPROVED_BY_YOU' }
  /** Listed, but only for rules that already have their approvals: the ones still waiting need others. */
  | { code: 'NOT_NEEDED'; waiting: readonly string[] }
  | { code: 'DEVOPS_ROLE_MISSING'; rules: readonly string[]; role: DevOpsRole; target: Target }
  | { code: 'DEVOPS_IDENTITY_UNKNOWN'; rules: readonly string[] }
  | { code: 'DEVOPS_ROLE_UNREADABLE'; rules: readonly string[]; error: ErrorCode };

export type ApprovalDecision =
  | { accepted: true; countsFor: readonly string[]; progress: readonly RequirementProgress[]; complete: boolean; policyVersion: string }
  | { accepted: false; refusal: ApprovalRefusal; progress: readonly RequirementProgress[]; policyVersion: string };

export interface ApprovalAsk {
  plan: PlanFacts;
  requester: Principal;
  approver: Principal;
  conversationId: string;
  now: Date;
  prior: readonly ApprovalGiven[];
}

function neededBy(rule: PolicyRule, targets: readonly Target[], deep: boolean): number {
  const e = rule.escalate;
  if (!e) return rule.approvals;
  const wide = e.overConnections !== undefined && targets.length > e.overConnections;
  return wide || (e.deep && deep) ? Math.max(rule.approvals, e.approvals) : rule.approvals;
}

/** One requirement per rule that covers at least one connection of the plan (a rule covering none asks nothing). */
export function approvalRequirements(policy: Policy, plan: PlanFacts): Requirement[] {
  return policy.rules.flatMap((rule) => {
    const targets = plan.targets.filter((t) => ruleCovers(rule, plan.operation, t));
    if (targets.length === 0) return [];
    return [{
      rule: rule.name, needed: neededBy(rule, targets, plan.deep), approvers: rule.approvers, devOpsRole: rule.devOpsRole,
      conversations: [...rule.conversations, ...rule.approvalConversations], targets,
    }];
  });
}

const sameId = (a: string | undefined, b: string | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

/** How far each requirement is: distinct prior approvers (never the requester) who counted for it. */
export function approvalProgress(requirements: readonly Requirement[], requester: Principal, prior: readonly ApprovalGiven[]): RequirementProgress[] {
  return requirements.map((r) => {
    const who = new Set(prior.filter((p) => !sameId(p.approver, requester.aadObjectId) && p.rules.includes(r.rule)).map((p) => p.approver.toLowerCase()));
    return { rule: r.rule, needed: r.needed, have: who.size, approvers: r.approvers };
  });
}

/** Requirements this approver is listed for, here (roles aside). */
function listedFor(requirements: readonly Requirement[], ask: ApprovalAsk): Requirement[] {
  return requirements.filter((r) => listsConversation(r.conversations, ask.conversationId) && listsPerson(r.approvers, ask.approver));
}

/** Listed requirements that still wait for approvals (only those can count this tap). */
function openFor(requirements: readonly Requirement[], ask: ApprovalAsk): Requirement[] {
  const open = new Set(approvalProgress(requirements, ask.requester, ask.prior).filter((p) => p.have < p.needed).map((p) => p.rule));
  return listedFor(requirements, ask).filter((r) => open.has(r.rule));
}

/** The role reads an approval needs: each connection of each waiting requirement that asks for a role and lists this approver. */
export function roleQuestionsForApproval(policy: Policy, ask: ApprovalAsk): RoleQuestion[] {
  const person = ask.approver.aadObjectId;
  if (!person) return [];
  return openFor(approvalRequirements(policy, ask.plan), ask)
    .filter((r) => r.devOpsRole !== 'none').flatMap((r) => r.targets.map((t) => questionFor(person, t)));
}

/** Which listed requirements the approver's Azure DevOps roles let them count for, or why none. */
function roleFilter(listed: readonly Requirement[], person: string, answers: RoleAnswers): { ok: Requirement[]; refusal?: ApprovalRefusal } {
  const ok: Requirement[] = [];
  let refusal: ApprovalRefusal | undefined;
  for (const r of listed) {
    const role = r.devOpsRole;
    if (role === 'none') { ok.push(r); continue; }
    const miss = r.targets.map((t) => ({ t, held: answerFor(answers, person, t) }))
      .find(({ t, held }) => !(held.kind === 'held' && roleIncludes(scopeOf(t), held.role, neededRole(scopeOf(t), role))));
    if (!miss) { ok.push(r); continue; }
    const rules = [r.rule];
    if (miss.held.kind === 'unreadable') refusal ??= { code: 'DEVOPS_ROLE_UNREADABLE', rules, error: miss.held.code };
    else if (miss.held.kind === 'no-identity') refusal ??= { code: 'DEVOPS_IDENTITY_UNKNOWN', rules };
    else refusal ??= { code: 'DEVOPS_ROLE_MISSING', rules, role: neededRole(scopeOf(miss.t), role), target: miss.t };
  }
  return ok.length > 0 ? { ok } : { ok, ...(refusal ? { refusal } : {}) };
}

/** freeze → place → listed → not own request → not twice → still needed → roles. */
export function decideApproval(policy: Policy, ask: ApprovalAsk, answers: RoleAnswers): ApprovalDecision {
  const requirements = approvalRequirements(policy, ask.plan);
  const progress = approvalProgress(requirements, ask.requester, ask.prior);
  const refuse = (refusal: ApprovalRefusal): ApprovalDecision => ({ accepted: false, refusal, progress, policyVersion: policy.version });
  const frozen = [...new Set(ask.plan.targets.flatMap((t) => freezesOn(policy, ask.plan.operation, t, ask.now).map((f) => f.name)))];
  if (frozen.length > 0) return refuse({ code: 'FROZEN', freezes: frozen });
  if (!requirements.some((r) => listsConversation(r.conversations, ask.conversationId))) return refuse({ code: 'CONVERSATION_NOT_ALLOWED' });
  const listed = listedFor(requirements, ask);
  if (listed.length === 0) return refuse({ code: 'NOT_AN_APPROVER', rules: requirements.map((r) => r.rule) });
  if (sameId(ask.requester.aadObjectId, ask.approver.aadObjectId)) return refuse({ code: 'OWN_REQUEST' });
  if (ask.prior.some((p) => sameId(p.approver, ask.approver.aadObjectId))) return refuse({ code: 'ALREADY_APPROVED_BY_YOU' });
  const open = openFor(requirements, ask);
  if (open.length === 0) return refuse({ code: 'NOT_NEEDED', waiting: progress.filter((p) => p.have < p.needed).map((p) => p.rule) });
  const { ok, refusal } = roleFilter(open, ask.approver.aadObjectId ?? '', answers);
  if (ok.length === 0) return refuse(refusal ?? { code: 'NOT_AN_APPROVER', rules: open.map((r) => r.rule) });
  const countsFor = ok.map((r) => r.rule);
  const after = approvalProgress(requirements, ask.requester, [...ask.prior, { approver: ask.approver.aadObjectId ?? '', rules: countsFor }]);
  return { accepted: true, countsFor, progress: after, complete: after.every((p) => p.have >= p.needed), policyVersion: policy.version };
}
