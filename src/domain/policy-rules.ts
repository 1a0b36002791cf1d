/**
 * The policy as data: rules that say who may ask for which operation on which connections, from which conversation,
 * and who must approve; freezes that stop changes for a while. Read from SCBOT_POLICY_FILE (src/policy/policy-file.ts)
 * or derived from today's SCBOT_* settings (policy-from-settings.ts). Pure; decisions live in policy-decide.ts and
 * policy-approvals.ts. Default deny everywhere: what no rule grants is refused.
 */
import { hasRole, listed, ANYONE, type Principal } from './policy';
import type { ConnectionRole } from './devops-roles';

/** The operation that stands for every read-only command (list, show, access, audit, alerts). */
export const READ = 'read';

export interface People {
  users: readonly string[];
  groups: readonly string[];
}

export const NOBODY: People = Object.freeze({ users: Object.freeze([]), groups: Object.freeze([]) });

/** More approvals for plans that reach wide or deep, as SCBOT_TWO_APPROVERS_OVER does today. */
export interface Escalation {
  /** A plan with more of this rule's connections than this needs `approvals`. */
  overConnections?: number;
  /** A deep plan (deep delete, delete everywhere) needs `approvals` whatever its size. */
  deep: boolean;
  approvals: number;
}

export interface PolicyRule {
  name: string;
  /** Project names or ids; `*` any. */
  projects: readonly string[];
  /** Globs (`*`, `?`) on connection names; `*` any. */
  connections: readonly string[];
  /** Operation names, `read`, or `*` (all of them, read included). */
  operations: readonly string[];
  /** Where this rule's requesters may ask and its approvers approve; `*` any. */
  conversations: readonly string[];
  /** Further conversations where this rule's approvals may be given (an approvers' channel). */
  approvalConversations: readonly string[];
  requesters: People;
  approvers: People;
  /** Distinct approvers this rule needs (never the requester). */
  approvals: number;
  escalate?: Escalation;
  /** The role requesters and approvers must hold on each connection in Azure DevOps itself; `none`: not checked. */
  devOpsRole: ConnectionRole | 'none';
}

export interface PolicyFreeze {
  name: string;
  from: Date;
  /** Exclusive. */
  to: Date;
  projects: readonly string[];
  connections: readonly string[];
  operations: readonly string[];
  /** Operations that still pass (e.g. `revert`). A freeze never applies to `read`. */
  except: readonly string[];
}

export interface Policy {
  /** A hash of the file (or of the settings the rules came from): recorded with every decision. */
  version: string;
  origin: 'file' | 'settings';
  rules: readonly PolicyRule[];
  freezes: readonly PolicyFreeze[];
}

export interface ProjectRef {
  /** The project GUID (role checks need it); absent only in tests of matching. */
  id?: string;
  name: string;
}

/** One connection a command names or a plan touches. `id` is absent for `create` (the connection does not exist yet). */
export interface Target {
  project: ProjectRef;
  connection: { name: string; id?: string };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Projects are named by name or id, case-insensitively, as Azure DevOps compares them. */
export function matchesProject(list: readonly string[], project: ProjectRef): boolean {
  return list.some((p) => p === ANYONE || same(p, project.name) || (project.id !== undefined && same(p, project.id)));
}

/**
 * Connection names are not paths: `*` and `?` are the only wildcards, everything else is literal (so a name with a
 * slash, a dot or an emoji matches itself), case-insensitive like Azure DevOps' own name checks.
 */
export function globMatches(glob: string, name: string): boolean {
  if (glob === ANYONE) return true;
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'isu').test(name);
}

export function matchesConnection(globs: readonly string[], name: string): boolean {
  return globs.some((g) => globMatches(g, name));
}

export function matchesOperation(list: readonly string[], operation: string): boolean {
  return list.some((o) => o === ANYONE || same(o, operation));
}

/** Does the rule cover this operation on this connection (where it is asked and who asks aside)? */
export function ruleCovers(rule: PolicyRule, operation: string, target: Target): boolean {
  return matchesOperation(rule.operations, operation) && matchesProject(rule.projects, target.project)
    && matchesConnection(rule.connections, target.connection.name);
}

export function listsConversation(list: readonly string[], conversationId: string): boolean {
  return listed(list, conversationId);
}

/** Listed by object id or by a group; a person without an Entra object id never is (even against `*`). */
export function listsPerson(people: People, who: Principal): boolean {
  return hasRole(people, who);
}

/**
 * May this conversation see the connection at all? A connection it cannot read answers exactly like one that does
 * not exist, in every command and alert, so there is no existence oracle. Reads are decided per conversation, not
 * per person: a card posted in a channel is seen by everyone in it.
 */
export function canSee(policy: Policy, conversationId: string, target: Target): boolean {
  return readRules(policy, conversationId, target).length > 0;
}

/**
 * A rule lets a conversation read when it covers `read` there and either names requesters or names `read` itself:
 * a rule without requesters only adds approvals (left-out `operations` and `conversations` mean any, and must not
 * open every connection it stacks approvals on to every conversation).
 */
export function grantsRead(rule: PolicyRule): boolean {
  const named = rule.operations.some((o) => same(o, READ));
  return named || rule.requesters.users.length + rule.requesters.groups.length > 0;
}

/** The rules that let this conversation read this connection. */
export function readRules(policy: Policy, conversationId: string, target: Target): PolicyRule[] {
  return policy.rules.filter((r) => grantsRead(r) && ruleCovers(r, READ, target) && listsConversation(r.conversations, conversationId));
}

/** Freezes in force now that stop this operation on this connection (never `read`, never what they except). */
export function freezesOn(policy: Policy, operation: string, target: Target, now: Date): PolicyFreeze[] {
  if (same(operation, READ)) return [];
  return policy.freezes.filter((f) => f.from.getTime() <= now.getTime() && now.getTime() < f.to.getTime()
    && matchesOperation(f.operations, operation) && !f.except.some((e) => same(e, operation))
    && matchesProject(f.projects, target.project) && matchesConnection(f.connections, target.connection.name));
}

/** Does the policy name any Entra group (so group membership must be looked up before deciding)? */
export function namesGroups(policy: Policy): boolean {
  return policy.rules.some((r) => r.requesters.groups.length > 0 || r.approvers.groups.length > 0);
}
