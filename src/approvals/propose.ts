import type { ApprovalPerson, ApprovalRecord } from '../domain/approval';
import { fingerprintPlan } from '../domain/audit';
import type { Plan } from '../domain/plan';
import { approvalsNeeded, type PolicyConfig } from '../domain/policy';

/** A plan's first approval record: proposed, bound to the plan's fingerprint, expiring after the policy's TTL. */
export function newApprovalRecord(plan: Plan, requester: ApprovalPerson, conversation: ApprovalRecord['conversation'], policy: PolicyConfig, now: Date): ApprovalRecord {
  return {
    planId: plan.id, planVersion: fingerprintPlan(plan), state: 'proposed',
    requester: { id: requester.id, name: requester.name, ...(requester.aadObjectId ? { aadObjectId: requester.aadObjectId } : {}) },
    conversation: { id: conversation.id, type: conversation.type, ...(conversation.tenantId ? { tenantId: conversation.tenantId } : {}) },
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + policy.planTtlMinutes * 60_000).toISOString(),
    approvers: [], approvalsNeeded: approvalsNeeded(policy, plan), updatedAt: now.toISOString(),
  };
}
