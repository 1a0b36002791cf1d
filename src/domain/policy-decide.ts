/**
 * May this person ask for this operation on these connections, here, now? Pure: groups and Azure DevOps roles are
 * resolved before (src/policy/policy-checks.ts). Per connection, in this order:
 *   1. the conversation must see it (else it answers as if it did not exist);
 *   2. no freeze in force may stop the operation there;
 *   3. some rule must cover (operation, project, connection), list this conversation and list the person;
 *   4. such a rule asking for a `devOpsRole` grants only if Azure DevOps says the person holds it there.
 * A bulk plan keeps the connections that pass and lists the rest as skipped with the refusal (never the hidden ones).
 */
import type { ErrorCode } from './errors';
import { roleIncludes, type DevOpsRole, type RoleGrant } from './devops-roles';
import type { Principal } from './policy';
import { canSee, freezesOn, listsConversation, listsPerson, READ, readRules, ruleCovers, type Policy, type PolicyRule, type Target } from './policy-rules';
import { answerFor, neededRole, questionFor, scopeOf, type RoleAnswers, type RoleQuestion } from './policy-role-questions';

export type RequestRefusal =
  /** The conversation cannot read it: answer exactly as for a connection that does not exist. */
  | { code: 'HIDDEN' }
  | { code: 'FROZEN'; freezes: readonly string[] }
  | { code: 'NO_RULE' }
  | { code: 'CONVERSATION_NOT_ALLOWED'; rules: readonly string[] }
  | { code: 'NOT_A_REQUESTER'; rules: readonly string[] }
  | { code: 'DEVOPS_ROLE_MISSING'; rules: readonly string[]; role: DevOpsRole; scope: 'connection' | 'project' }
  | { code: 'DEVOPS_IDENTITY_UNKNOWN'; rules: readonly string[] }
  | { code: 'DEVOPS_ROLE_UNREADABLE'; rules: readonly string[]; error: ErrorCode };

export type TargetDecision =
  | { target: Target; allowed: true; grantedBy: readonly string[]; roleGrants?: readonly RoleGrant[] }
  | { target: Target; allowed: false; refusal: RequestRefusal };

export interface RequestAsk {
  operation: string;
  conversationId: string;
  requester: Principal;
  targets: readonly Target[];
  now: Date;
}

export interface RequestDecision {
  policyVersion: string;
  operation: string;
  targets: readonly TargetDecision[];
}

/** The rules that would grant this person here, before any Azure DevOps role is read. */
function granting(policy: Policy, ask: RequestAsk, target: Target): { rules: PolicyRule[]; refusal?: RequestRefusal } {
  const covering = policy.rules.filter((r) => ruleCovers(r, ask.operation, target));
  if (covering.length === 0) return { rules: [], refusal: { code: 'NO_RULE' } };
  const here = covering.filter((r) => listsConversation(r.conversations, ask.conversationId));
  if (here.length === 0) return { rules: [], refusal: { code: 'CONVERSATION_NOT_ALLOWED', rules: covering.map((r) => r.name) } };
  const mine = here.filter((r) => listsPerson(r.requesters, ask.requester));
  if (mine.length === 0) return { rules: [], refusal: { code: 'NOT_A_REQUESTER', rules: here.map((r) => r.name) } };
  return { rules: mine };
}

/** Checks 1 and 2, then the rules: what is known before roles are read (undefined: the rules may grant). */
function beforeRoles(policy: Policy, ask: RequestAsk, target: Target): { rules: PolicyRule[]; refusal?: RequestRefusal } {
  if (!canSee(policy, ask.conversationId, target)) return { rules: [], refusal: { code: 'HIDDEN' } };
  if (ask.operation.toLowerCase() === READ) return { rules: readRules(policy, ask.conversationId, target) };
  const frozen = freezesOn(policy, ask.operation, target, ask.now);
  if (frozen.length > 0) return { rules: [], refusal: { code: 'FROZEN', freezes: frozen.map((f) => f.name) } };
  return granting(policy, ask, target);
}

/** The Azure DevOps role reads this request needs: only where every granting rule asks for a role. */
export function roleQuestionsForRequest(policy: Policy, ask: RequestAsk): RoleQuestion[] {
  const person = ask.requester.aadObjectId;
  if (!person || ask.operation.toLowerCase() === READ) return [];
  return ask.targets.flatMap((target) => {
    const { rules, refusal } = beforeRoles(policy, ask, target);
    return !refusal && rules.every((r) => r.devOpsRole !== 'none') ? [questionFor(person, target)] : [];
  });
}

function withRoles(rules: readonly PolicyRule[], target: Target, person: string, answers: RoleAnswers): TargetDecision {
  const free = rules.filter((r) => r.devOpsRole === 'none');
  if (free.length > 0) return { target, allowed: true, grantedBy: free.map((r) => r.name) };
  const names = rules.map((r) => r.name);
  const held = answerFor(answers, person, target);
  if (held.kind === 'unreadable') return { target, allowed: false, refusal: { code: 'DEVOPS_ROLE_UNREADABLE', rules: names, error: held.code } };
  if (held.kind === 'no-identity') return { target, allowed: false, refusal: { code: 'DEVOPS_IDENTITY_UNKNOWN', rules: names } };
  const scope = scopeOf(target);
  const satisfied = rules.filter((r) => r.devOpsRole !== 'none' && held.kind === 'held' && roleIncludes(scope, held.role, neededRole(scope, r.devOpsRole)));
  if (satisfied.length > 0 && held.kind === 'held') return { target, allowed: true, grantedBy: satisfied.map((r) => r.name), roleGrants: held.grants };
  // Name the easiest role to get: the weakest any granting rule asks for.
  const weakest = rules.map((r) => neededRole(scope, r.devOpsRole as DevOpsRole)).reduce((a, b) => (roleIncludes(scope, b, a) ? a : b));
  return { target, allowed: false, refusal: { code: 'DEVOPS_ROLE_MISSING', rules: names, role: weakest, scope } };
}

export function decideRequest(policy: Policy, ask: RequestAsk, answers: RoleAnswers): RequestDecision {
  const targets = ask.targets.map((target): TargetDecision => {
    const { rules, refusal } = beforeRoles(policy, ask, target);
    if (refusal) return { target, allowed: false, refusal };
    if (ask.operation.toLowerCase() === READ) return { target, allowed: true, grantedBy: rules.map((r) => r.name) };
    return withRoles(rules, target, ask.requester.aadObjectId ?? '', answers);
  });
  return { policyVersion: policy.version, operation: ask.operation, targets };
}

/** A bulk plan's split: what it keeps, what it lists as skipped (with why). Hidden connections are not mentioned at all. */
export function partition(decision: RequestDecision): { kept: Target[]; skipped: Array<{ target: Target; refusal: RequestRefusal }> } {
  const kept: Target[] = [];
  const skipped: Array<{ target: Target; refusal: RequestRefusal }> = [];
  for (const d of decision.targets) {
    if (d.allowed) kept.push(d.target);
    else if (d.refusal.code !== 'HIDDEN') skipped.push({ target: d.target, refusal: d.refusal });
  }
  return { kept, skipped };
}

/** `alerts on|off|scan` change the bot's own settings for a conversation: any requester of any rule, as today. */
export function mayConfigureAlerts(policy: Policy, who: Principal): boolean {
  return policy.rules.some((r) => listsPerson(r.requesters, who));
}
