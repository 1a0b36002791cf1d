/**
 * The policy's decisions with their I/O: Entra groups (MembershipSource) and Azure DevOps roles (DevOpsRoles) are
 * read first, only when the policy needs them, then the pure decision runs (src/domain/policy-decide.ts,
 * policy-approvals.ts). A group lookup that fails rejects (the caller answers with a reference id); a role read
 * that fails is an `unreadable` answer, which refuses. Role reads run a few at a time and once per connection.
 */
import PQueue from 'p-queue';
import type { RoleHolding } from '../domain/devops-roles';
import type { Principal } from '../domain/policy';
import { namesGroups, type Policy, type Target } from '../domain/policy-rules';
import { decideRequest, roleQuestionsForRequest, type RequestAsk, type RequestDecision } from '../domain/policy-decide';
import { decideApproval, roleQuestionsForApproval, type ApprovalAsk, type ApprovalDecision } from '../domain/policy-approvals';
import { distinctQuestions, roleKey, type RoleAnswers, type RoleQuestion } from '../domain/policy-role-questions';
import type { DevOpsRoles, RoleTarget } from '../devops/devops-roles.port';
import type { MembershipSource } from './membership-source.port';

export interface PolicyChecksDeps {
  roles: DevOpsRoles;
  /** Needed when the policy names Entra groups; without it, group entries match nobody (default deny). */
  membership?: MembershipSource;
  /** Role reads at once (default 4): a bulk plan must not spend the bot's rate budget in one burst. */
  concurrency?: number;
}

/** Sign-in names known for a person (UPN, mail): they help find the person in Azure DevOps. */
export type SignInNames = ReadonlyMap<string, readonly string[]>;

async function withGroups(policy: Policy, who: Principal, membership: MembershipSource | undefined): Promise<Principal> {
  if (!who.aadObjectId || !membership || !namesGroups(policy)) return who;
  const groups = await membership.groupsOf(who.aadObjectId);
  return { ...who, groups: [...who.groups, ...groups] };
}

function roleTarget(target: Target): RoleTarget | undefined {
  const projectId = target.project.id;
  if (!projectId) return undefined;
  return target.connection.id === undefined ? { scope: 'project', projectId } : { scope: 'connection', projectId, endpointId: target.connection.id };
}

/** Answers every distinct question; a target without a project id cannot be checked and stays unanswered (refused). */
export async function answerRoleQuestions(questions: readonly RoleQuestion[], deps: PolicyChecksDeps, names: SignInNames = new Map()): Promise<RoleAnswers> {
  const queue = new PQueue({ concurrency: deps.concurrency ?? 4 });
  const answers = new Map<string, RoleHolding>();
  await Promise.all(distinctQuestions(questions).map((q) => queue.add(async () => {
    const target = roleTarget(q.target);
    if (!target) return;
    const signInNames = names.get(q.person.toLowerCase());
    answers.set(roleKey(q.person, q.target), await deps.roles.holding({ aadObjectId: q.person, ...(signInNames ? { signInNames } : {}) }, target));
  })));
  return answers;
}

/** May the requester ask for this (the proposal, `policy <command>`, a bulk plan's split)? */
export async function checkRequest(policy: Policy, ask: RequestAsk, deps: PolicyChecksDeps, names?: SignInNames): Promise<RequestDecision> {
  const full = { ...ask, requester: await withGroups(policy, ask.requester, deps.membership) };
  const answers = await answerRoleQuestions(roleQuestionsForRequest(policy, full), deps, names);
  return decideRequest(policy, full, answers);
}

/** Does this approval tap count, for which rules, and is the plan then fully approved? */
export async function checkApproval(policy: Policy, ask: ApprovalAsk, deps: PolicyChecksDeps, names?: SignInNames): Promise<ApprovalDecision> {
  const full = { ...ask, approver: await withGroups(policy, ask.approver, deps.membership) };
  const answers = await answerRoleQuestions(roleQuestionsForApproval(policy, full), deps, names);
  return decideApproval(policy, full, answers);
}
