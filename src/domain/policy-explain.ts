/**
 * What `policy` shows in a conversation: the rules that apply here (by name, what they allow, who asks and who
 * approves), the freezes in force and the next ones. Never a connection: rules name globs, not what they match.
 */
import { listsConversation, type People, type Policy, type PolicyFreeze, type PolicyRule } from './policy-rules';

export interface RuleSummary {
  name: string;
  operations: readonly string[];
  projects: readonly string[];
  connections: readonly string[];
  requesters: People;
  approvers: People;
  approvals: number;
  escalate?: PolicyRule['escalate'];
  devOpsRole: PolicyRule['devOpsRole'];
  /** Lists this conversation for asking (not only for approving). */
  askHere: boolean;
}

export interface FreezeSummary {
  name: string;
  from: Date;
  to: Date;
  operations: readonly string[];
  except: readonly string[];
  projects: readonly string[];
  connections: readonly string[];
}

export interface PolicyHere {
  version: string;
  origin: Policy['origin'];
  rules: readonly RuleSummary[];
  freezesNow: readonly FreezeSummary[];
  /** Freezes that start later, soonest first (at most `limit`). */
  freezesNext: readonly FreezeSummary[];
}

function summary(rule: PolicyRule, conversationId: string): RuleSummary {
  return {
    name: rule.name, operations: rule.operations, projects: rule.projects, connections: rule.connections,
    requesters: rule.requesters, approvers: rule.approvers, approvals: rule.approvals,
    ...(rule.escalate ? { escalate: rule.escalate } : {}), devOpsRole: rule.devOpsRole,
    askHere: listsConversation(rule.conversations, conversationId),
  };
}

const freeze = (f: PolicyFreeze): FreezeSummary => ({ name: f.name, from: f.from, to: f.to, operations: f.operations, except: f.except, projects: f.projects, connections: f.connections });

/** Rules that apply in this conversation: those it may ask or approve in, and those that add approvals everywhere. */
export function policyHere(policy: Policy, conversationId: string, now: Date, limit = 3): PolicyHere {
  const applies = (r: PolicyRule) => listsConversation([...r.conversations, ...r.approvalConversations], conversationId);
  const t = now.getTime();
  return {
    version: policy.version,
    origin: policy.origin,
    rules: policy.rules.filter(applies).map((r) => summary(r, conversationId)),
    freezesNow: policy.freezes.filter((f) => f.from.getTime() <= t && t < f.to.getTime()).map(freeze),
    freezesNext: policy.freezes.filter((f) => f.from.getTime() > t).sort((a, b) => a.from.getTime() - b.from.getTime()).slice(0, limit).map(freeze),
  };
}
