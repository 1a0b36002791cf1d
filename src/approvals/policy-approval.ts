/**
 * Approvals under a policy file: every rule that covers a connection of the plan needs its own approvals from its
 * own approvers (never the requester), each approver's Azure DevOps role is read at the tap, and a freeze refuses
 * here too. The approval record keeps which rules each approval counted for (`policyApprovals`), so the next tap
 * is decided against what is already there. Without a file none of this runs (tap-decisions.ts decides as before).
 */
import type { ApprovalRecord } from '../domain/approval';
import type { AuditPolicy } from '../domain/audit';
import type { Plan } from '../domain/plan';
import { isDeepPlan, listed, type PolicyConfig } from '../domain/policy';
import { approvalRequirements, type ApprovalDecision, type PlanFacts } from '../domain/policy-approvals';
import { approvalRefusalText, decidingRules, policyRefusalCode } from '../domain/policy-refusal-text';
import type { Policy } from '../domain/policy-rules';
import type { PolicyGate } from '../policy/policy-gate';
import { targetsOfPlan } from '../policy/plan-targets';
import { operationHooks } from '../operations/operations';
import { principal } from './people';
import type { Tap } from './types';

export function planFacts(plan: Plan): PlanFacts {
  return { operation: plan.operation, targets: targetsOfPlan(plan, operationHooks(plan.operation).existsBeforeRun), deep: isDeepPlan(plan) };
}

/** What the card shows as needed: every requirement's count (one person may count for several, finishing sooner). */
export function approvalsToShow(policy: Policy, plan: Plan): number {
  return Math.max(1, approvalRequirements(policy, planFacts(plan)).reduce((n, r) => n + r.needed, 0));
}

/** Where taps may come from under the file: any conversation a rule names for asking or approving. */
export function tapPlaces(config: PolicyConfig, policy: Policy): PolicyConfig {
  const asked = [...new Set(policy.rules.flatMap((r) => r.conversations))];
  const approving = [...new Set(policy.rules.flatMap((r) => r.approvalConversations))];
  return { ...config, conversations: asked, approvalConversations: approving };
}

export type PolicyVerdict =
  | { accepted: true; complete: boolean; countsFor: readonly string[]; audit: AuditPolicy }
  | { accepted: false; code: string; text: string; audit: AuditPolicy };

export async function decideTap(gate: PolicyGate, plan: Plan, record: ApprovalRecord, tap: Tap): Promise<PolicyVerdict> {
  const policy = gate.current();
  const decision: ApprovalDecision = await gate.approval(policy, {
    plan: planFacts(plan), requester: principal(record.requester), approver: principal(tap.user),
    conversationId: tap.conversation.id, now: gate.now(), prior: record.policyApprovals ?? [],
  });
  if (decision.accepted) return { accepted: true, complete: decision.complete, countsFor: decision.countsFor, audit: { version: policy.version, rules: decision.countsFor } };
  return { accepted: false, code: policyRefusalCode(decision.refusal), text: approvalRefusalText(decision.refusal), audit: { version: policy.version, rules: decidingRules(decision.refusal) } };
}

/** May this person reject (not approve) the plan: an approver of any rule it needs, in a place that rule lists. */
export async function mayRejectByPolicy(gate: PolicyGate, plan: Plan, tap: Tap): Promise<boolean> {
  const policy = gate.current();
  const who = await gate.withGroups(policy, principal(tap.user));
  if (!who.aadObjectId) return false;
  return approvalRequirements(policy, planFacts(plan)).some((r) => listed(r.conversations, tap.conversation.id)
    && (listed(r.approvers.users, who.aadObjectId) || who.groups.some((g) => listed(r.approvers.groups, g))));
}

/** A retry is a new request for the failed connections: each is checked for this person again, here, now. */
export async function mayRetryByPolicy(gate: PolicyGate, plan: Plan, failedIds: readonly string[], tap: Tap): Promise<boolean> {
  const failed = new Set(failedIds.map((id) => id.toLowerCase()));
  const facts = planFacts({ ...plan, items: plan.items.filter((i) => failed.has(i.endpointId.toLowerCase())) });
  const decision = await gate.request(gate.current(), { operation: facts.operation, conversationId: tap.conversation.id, requester: principal(tap.user), targets: facts.targets, now: gate.now() });
  return decision.targets.every((t) => t.allowed);
}
