/**
 * Without SCBOT_POLICY_FILE, today's settings keep behaving exactly as today: they are one rule for changes, plus
 * the rule that has always let every conversation read (reads were never gated by role or conversation; the tenant
 * allow-list stays a gate in front of every rule). test/unit/policy-settings-equivalence.test.ts holds the two
 * models to the same answers for generated settings, people, places and plans.
 */
import { ANYONE, type PolicyConfig } from './policy';
import { NOBODY, READ, type PolicyRule } from './policy-rules';

export const SETTINGS_RULE = 'settings';
export const SETTINGS_READ_RULE = 'settings-read';

const ALL = Object.freeze([ANYONE]);

export function rulesFromSettings(config: PolicyConfig): PolicyRule[] {
  const changes: PolicyRule = {
    name: SETTINGS_RULE,
    projects: ALL,
    connections: ALL,
    operations: ALL,
    conversations: config.conversations,
    approvalConversations: config.approvalConversations ?? [],
    requesters: config.requesters,
    approvers: config.approvers,
    approvals: 1,
    // SCBOT_TWO_APPROVERS_OVER: wider plans, and any deep delete or delete everywhere, need a second approver.
    escalate: { overConnections: config.twoApproversOver, deep: true, approvals: 2 },
    devOpsRole: 'none',
  };
  const reads: PolicyRule = {
    name: SETTINGS_READ_RULE,
    projects: ALL,
    connections: ALL,
    operations: Object.freeze([READ]),
    conversations: ALL,
    approvalConversations: [],
    requesters: NOBODY,
    approvers: NOBODY,
    approvals: 1,
    devOpsRole: 'none',
  };
  return [changes, reads];
}
