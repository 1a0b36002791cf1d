/**
 * The approval lifecycle of one plan, pure: which states exist, which moves between them are allowed, and the
 * outcome a finished run maps to. The Store record that holds it is written with compare-and-swap, so a move is
 * valid only from the state that was read; these functions say whether the move itself makes sense.
 */
import { fingerprintPlan } from './audit';
import type { Plan } from './plan';
import { approvalsNeeded, type PolicyConfig } from './policy';

export const APPROVAL_STATES = [
  'proposed', 'approved', 'executing', 'done', 'partially_failed', 'failed', 'rejected', 'expired', 'stale',
] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

const NEXT: Record<ApprovalState, readonly ApprovalState[]> = {
  // proposed → proposed: one more approver said yes, but not yet enough of them.
  proposed: ['proposed', 'approved', 'rejected', 'expired', 'stale'],
  // approved → stale: the re-read right before execution found a connection changed since the preview.
  approved: ['executing', 'stale'],
  executing: ['done', 'partially_failed', 'failed'],
  done: [],
  partially_failed: [],
  failed: [],
  rejected: [],
  expired: [],
  stale: [],
};

export function canTransition(from: ApprovalState, to: ApprovalState): boolean {
  return NEXT[from].includes(to);
}

/** No tap changes these any more; a tap is answered with what happened. */
export function isSettled(state: ApprovalState): boolean {
  return NEXT[state].length === 0;
}

/** Someone who asked for or approved a plan, as recorded (no group memberships: those are resolved per tap). */
export interface ApprovalPerson {
  /** The channel's user id (e.g. "29:…"). */
  id: string;
  name: string;
  aadObjectId?: string;
}

/** Where the preview card is, so background work can update it in place. Opaque to the domain. */
export interface CardLocation {
  activityId: string;
  /** A Bot Framework conversation reference, kept as JSON. */
  conversation: Record<string, unknown>;
}

export interface ApprovalRecord {
  planId: string;
  /** The plan fingerprint the preview showed: the card's `version`, and what an approval binds to. */
  planVersion: string;
  state: ApprovalState;
  requester: ApprovalPerson;
  conversation: { id: string; type: string; tenantId?: string };
  createdAt: string;
  expiresAt: string;
  approvers: ApprovalPerson[];
  approvalsNeeded: number;
  /** Under a policy file: each approval given and the rules it counted for (src/approvals/policy-approval.ts). */
  policyApprovals?: Array<{ approver: string; rules: readonly string[] }>;
  /** Who rejected, or who noticed expiry or staleness. */
  decidedBy?: ApprovalPerson;
  card?: CardLocation;
  /** Per-connection outcome once execution finished. */
  outcome?: { done: number; skipped: number; failed: number; failedIds: string[]; startedAt?: string; finishedAt?: string; failures?: OutcomeFailure[] };
  /** Partially failed only: the plan "Retry failed items" made (claimed by compare-and-swap, so at most one). */
  retriedAs?: string;
  updatedAt: string;
}

/**
 * Why a failed item failed, as the executor's typed reason (src/execution/run-report.ts `ItemReason`, kept
 * structurally here: the domain imports nothing above it). Worded only when the card is drawn.
 */
export interface OutcomeFailure {
  endpointId: string;
  name: string;
  reason?: { kind: string } & Record<string, unknown>;
  code?: string;
}

/** The state a finished run ends in: every planned item failed → failed; some → partially failed. */
export function finalState(counts: { done: number; failed: number; skipped: number }): ApprovalState {
  if (counts.failed === 0) return 'done';
  return counts.done === 0 ? 'failed' : 'partially_failed';
}

export function isExpired(record: Pick<ApprovalRecord, 'expiresAt'>, now: Date): boolean {
  return now.getTime() >= Date.parse(record.expiresAt);
}

/**
 * Same person: by Entra object id only (it never changes and the client cannot choose it). A Teams `29:` id is not
 * an identity: without an object id on both sides, nobody is the same person as anybody.
 */
export function samePerson(a: ApprovalPerson, b: ApprovalPerson): boolean {
  return !!a.aadObjectId && !!b.aadObjectId && a.aadObjectId.toLowerCase() === b.aadObjectId.toLowerCase();
}

/** Moves a record; throws when the move is not part of the lifecycle (a programming error, not a user's). */
export function transition(record: ApprovalRecord, to: ApprovalState, at: Date, patch: Partial<ApprovalRecord> = {}): ApprovalRecord {
  if (!canTransition(record.state, to)) throw new Error(`approval ${record.planId}: ${record.state} → ${to} is not allowed`);
  return { ...record, ...patch, state: to, updatedAt: at.toISOString() };
}

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
